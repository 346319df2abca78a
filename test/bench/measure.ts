/**
 * Timing for `npm run bench`: whole-process wall times, each row paired with its floor (floor,
 * row, floor, row, ...) so a drift in the machine's speed moves both sides of each ratio alike.
 */
import { spawn } from 'node:child_process';

export interface Command {
  /** Program and arguments, run without a shell; use `['bash', '-o', 'pipefail', '-c', s]` for pipes. */
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Exit codes that count as a finished run (default: 0 only). */
  okCodes?: number[];
}

/** Wall milliseconds from spawning `cmd` to its exit; its stdout is discarded, its stderr kept
 * for the error when it fails. */
export async function timeCommand(cmd: Command): Promise<number> {
  const [program, ...args] = cmd.argv;
  const start = performance.now();
  let stderr = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(program!, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: cmd.env ?? process.env,
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const ms = performance.now() - start;
  if (!(cmd.okCodes ?? [0]).includes(code ?? -1)) {
    throw new Error(`${cmd.argv.join(' ')} exited ${code}:\n${stderr}`);
  }
  return ms;
}

export const shell = (script: string, env?: NodeJS.ProcessEnv): Command => ({
  argv: ['bash', '-o', 'pipefail', '-c', script],
  env,
});

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A row of the table: the measured times, and per pair either a ratio or a difference. */
export interface Row {
  name: string;
  /** Wall ms of each run of the measured thing. */
  times: number[];
  /** What the row is compared with, and its wall ms in each pair (none for absolute rows). */
  floor?: { name: string; times: number[] };
  /** Per pair: time / floor (`ratio`), or a figure in ms computed by the row (`ms`). */
  result: { kind: 'ratio' | 'ms'; values: number[] };
  target: string;
}

/** Runs `measure` and its floor in turn, `runs` times each; ratio per pair. */
export async function paired(
  name: string,
  runs: number,
  measure: () => Promise<number>,
  floor: { name: string; run: () => Promise<number> },
  target: string,
): Promise<Row> {
  const times: number[] = [];
  const floorTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    floorTimes.push(await floor.run());
    times.push(await measure());
  }
  return {
    name,
    times,
    floor: { name: floor.name, times: floorTimes },
    result: { kind: 'ratio', values: times.map((t, i) => t / floorTimes[i]!) },
    target,
  };
}

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

function resultCell({ kind, values }: Row['result']): string {
  const fmt = kind === 'ratio' ? (x: number) => `${x.toFixed(2)}x` : (x: number) => ms(x);
  const sorted = [...values].sort((a, b) => a - b);
  return `**${fmt(median(values))}** (${fmt(sorted[0]!)} to ${fmt(sorted.at(-1)!)})`;
}

/** The rows as one Markdown table: medians, the result's min and max, runs per row. */
export function table(rows: Row[]): string {
  const lines = [
    '| measure | runs | time | floor | floor time | result: median (min to max) | target |',
    '| --- | --: | --: | --- | --: | --- | --- |',
  ];
  for (const r of rows) {
    const floor = r.floor ? [r.floor.name, ms(median(r.floor.times))] : ['', ''];
    lines.push(
      `| ${[r.name, String(r.times.length), ms(median(r.times)), ...floor, resultCell(r.result), r.target].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
