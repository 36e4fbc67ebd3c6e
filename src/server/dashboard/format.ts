/** Small formatters the pages share. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const usd = (n: number | null | undefined): string =>
  n === null || n === undefined ? "–" : `$${n.toFixed(n > 0 && n < 0.01 ? 4 : 2)}`;

export const time = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? "–" : new Date(ms).toISOString().replace("T", " ").slice(0, 19);

export const short = (sha: string | null | undefined): string => (sha ? sha.slice(0, 10) : "–");

export const count = (n: number | null | undefined): string =>
  n === null || n === undefined ? "–" : n.toLocaleString("en-US");
