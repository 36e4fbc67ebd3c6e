import { InvalidArgumentError } from "commander";

export const intArg = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`${name} must be a whole number, got "${value}"`);
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
