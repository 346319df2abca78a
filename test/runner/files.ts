/**
 * The per-step file commands: GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE (`name=value` lines or
 * `name<<DELIM` heredocs), GITHUB_PATH (one directory a line) and GITHUB_STEP_SUMMARY (Markdown).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StepFiles {
  output: string;
  env: string;
  path: string;
  state: string;
  summary: string;
}

/** Fresh empty files, named like the runner's (`<RUNNER_TEMP>/_runner_file_commands/set_env_<uuid>`). */
export async function createStepFiles(runnerTemp: string): Promise<StepFiles> {
  const dir = join(runnerTemp, '_runner_file_commands');
  await mkdir(dir, { recursive: true });
  const suffix = randomUUID();
  const files: StepFiles = {
    output: join(dir, `set_output_${suffix}`),
    env: join(dir, `set_env_${suffix}`),
    path: join(dir, `add_path_${suffix}`),
    state: join(dir, `save_state_${suffix}`),
    summary: join(dir, `step_summary_${suffix}`),
  };
  await Promise.all(Object.values(files).map((f) => writeFile(f, '')));
  return files;
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

/** Reads one line at `index`; returns the line and where the next one starts (LF only, as on Linux). */
function readLine(text: string, index: number): { line: string; next: number } | null {
  if (index >= text.length) return null;
  const lf = text.indexOf('\n', index);
  if (lf < 0) return { line: text.slice(index), next: text.length };
  return { line: text.slice(index, lf), next: lf + 1 };
}

/** Parses the `name=value` / `name<<DELIM` format; throws the runner's messages on bad input. */
export function parseKeyValue(
  text: string,
  what = 'environment variable',
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let pos = 0;
  let cur = readLine(text, pos);
  while (cur) {
    const { line } = cur;
    pos = cur.next;
    if (line !== '') {
      const eq = line.indexOf('=');
      const heredoc = line.indexOf('<<');
      if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
        const name = line.slice(0, eq);
        if (name === '') {
          throw new Error(`Invalid ${what} format '${line}'. Name must not be empty`);
        }
        out.push([name, line.slice(eq + 1)]);
      } else if (heredoc >= 0) {
        const name = line.slice(0, heredoc);
        const delimiter = line.slice(heredoc + 2);
        if (name === '' || delimiter === '') {
          throw new Error(
            `Invalid ${what} format '${line}'. Name must not be empty and delimiter must not be empty`,
          );
        }
        const start = pos;
        let end = pos;
        let next = readLine(text, pos);
        while (next?.line !== delimiter) {
          if (!next) {
            throw new Error(`Invalid ${what} value. Matching delimiter not found '${delimiter}'`);
          }
          end = next.next - 1; // up to, not including, the LF ending this value line
          pos = next.next;
          next = readLine(text, pos);
        }
        pos = next.next;
        out.push([name, end > start ? text.slice(start, end) : '']);
      } else {
        throw new Error(`Invalid ${what} format '${line}'`);
      }
    }
    cur = readLine(text, pos);
  }
  return out;
}

export async function readKeyValueFile(
  path: string,
  what?: string,
): Promise<Array<[string, string]>> {
  return parseKeyValue(await readIfExists(path), what);
}

/** GITHUB_PATH: non-empty lines, oldest first. */
export async function readPathFile(path: string): Promise<string[]> {
  return (await readIfExists(path)).split('\n').filter((l) => l !== '');
}

/** The runner refuses step summaries over 1 MiB. */
export const SUMMARY_LIMIT = 1024 * 1024;

export async function readSummaryFile(path: string): Promise<string> {
  return readIfExists(path);
}
