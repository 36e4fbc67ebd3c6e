import { InvalidArgumentError } from "commander";

/** A whole-number flag between `min` and `max`, refused in words that say which bound it missed. */
export const intArg =
  (name: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n))
      throw new InvalidArgumentError(`${name} must be a whole number, got "${value}"`);
    if (n < min) throw new InvalidArgumentError(`${name} must be at least ${min}, got ${n}`);
    if (n > max) throw new InvalidArgumentError(`${name} must be at most ${max}, got ${n}`);
    return n;
  };

export const numberArg = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`${name} must be a positive number, got "${value}"`);
  return n;
};

export const choiceArg =
  <T extends string>(name: string, choices: readonly T[]) =>
  (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${name} must be one of ${choices.join(", ")}, got "${value}"`);
    }
    return value as T;
  };

export const collect = (value: string, previous: string[] = []) => [...previous, value];
