// Go's time.ParseDuration and Duration.String, for `certificate_ttl: 1h30m` and friends.
// Durations are kept in nanoseconds like Go (a YAML integer is taken as nanoseconds, as
// yaml.v3 does for a time.Duration field).

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Nanoseconds, or undefined when Go would refuse the text. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * (UNITS[m[2] ?? ''] ?? 0);
    s = s.slice(m[0].length);
  }
  return sign * Math.round(total);
}

/** Go's Duration.String(): `1h0m0s`, `20m0s`, `1.5s`, `0s`. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let rest = Math.abs(ns);
  if (rest < 1e9) {
    const [unit, size] = rest < 1e3 ? ['ns', 1] : rest < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${neg ? '-' : ''}${trim(rest / (size as number))}${unit}`;
  }
  const h = Math.floor(rest / 3600e9);
  rest -= h * 3600e9;
  const m = Math.floor(rest / 60e9);
  rest -= m * 60e9;
  const secs = `${trim(rest / 1e9)}s`;
  const out = h > 0 ? `${h}h${m}m${secs}` : m > 0 ? `${m}m${secs}` : secs;
  return (neg ? '-' : '') + out;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}

export const SECOND = 1e9;
export const MINUTE = 60e9;
export const HOUR = 3600e9;
