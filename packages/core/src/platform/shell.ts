import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JoinMethod } from './join-methods';
import type { CiPlatform, Logger } from './platform';
import { safeLogLines } from './untrusted-text';

export interface CliIo {
  write(text: string): void;
  isTTY: boolean;
  color: boolean;
}

/** What a command produced for the job: step outputs, variables and PATH additions. */
export interface CliResults {
  outputs: Record<string, string>;
  exports: Record<string, string>;
  paths: string[];
}

export type ShellPlatform = CiPlatform & {
  results: CliResults;
  masker: Masker;
  /** Whether the command failed (its one-line reason is already printed). */
  failed: boolean;
};

export interface ShellPlatformOptions {
  ciName: string;
  joinMethod: JoinMethod;
  /** Flag values by input name (`proxy`, `token`, ...). */
  inputs: Record<string, string>;
  env: NodeJS.ProcessEnv;
  /** Records state for `teleport-ci cleanup` (the job's state file, see `job-state.ts`). */
  recordState?: (name: string, value: string) => Promise<void>;
  stderr: CliIo;
  debug: boolean;
  /** State saved by an earlier command (for `cleanup`). */
  initialState?: Record<string, string>;
  /** The command's flag names: messages that name an input name its flag instead. */
  flags?: ReadonlySet<string>;
}

/** Replaces every registered secret in text before it is printed. */
export class Masker {
  private readonly secrets = new Set<string>();
  add(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret);
  }
  mask(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }
}

/**
 * The engine speaks of inputs (`Input 'proxy'`, `check 'proxy'`); on the command line they
 * are flags (`--proxy`).
 */
export function inputsAsFlags(message: string, flags: ReadonlySet<string>): string {
  return message
    .replace(/Input '([\w-]+)'/g, '--$1')
    .replace(/'([\w-]+)'/g, (quoted, name: string) => (flags.has(name) ? `--${name}` : quoted));
}

/**
 * The platform seam for the `teleport-ci` command in any CI's shell: inputs come from flags,
 * results are collected for `--print-env`/`--write-env`, log lines go to stderr (masked), and
 * state is recorded so `teleport-ci cleanup` can undo what earlier commands of the job did.
 */
export function shellPlatform(opts: ShellPlatformOptions): ShellPlatform {
  const masker = new Masker();
  const results: CliResults = { outputs: {}, exports: {}, paths: [] };
  const state: Record<string, string> = { ...opts.initialState };
  const paint = (code: string, text: string) =>
    opts.stderr.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  const line = (text: string) => opts.stderr.write(`${masker.mask(text)}\n`);
  // Messages may relay a server's or tbot's words: their escapes must not repaint the terminal.
  const log: Logger = {
    debug: (m) => {
      if (opts.debug) line(paint('2', safeLogLines(m)));
    },
    info: (m) => line(safeLogLines(m)),
    warning: (m) => line(`${paint('33', 'warning:')} ${safeLogLines(m)}`),
    error: (m) => line(`${paint('31', 'error:')} ${safeLogLines(m)}`),
  };
  let progressShown = false;
  if (opts.stderr.isTTY) {
    // On a terminal, one bar redrawn in place instead of a line every few seconds.
    log.progress = (done, total, rate) => {
      const width = 30;
      const fraction = total ? Math.min(done / total, 1) : 0;
      const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, ' ');
      const mb = (n: number) => (n / 1e6).toFixed(1);
      opts.stderr.write(
        `\r[${bar}] ${Math.floor(fraction * 100)}% ${mb(done)}/${total ? mb(total) : '?'} MB ${rate.toFixed(1)} MB/s`,
      );
      progressShown = true;
      if (total && done >= total) {
        opts.stderr.write('\n');
        progressShown = false;
      }
    };
  }
  const platform = {
    name: opts.ciName,
    joinMethod: opts.joinMethod,
    telemetryName: (action: string) => `${opts.ciName}:teleport-ci/${action}`,
    setupHint: `install it first: eval "$(teleport-ci setup --version auto --proxy <proxy> --print-env)"`,
    env: opts.env,
    log,
    results,
    masker,
    failed: false,
    getInput: (name: string) => (opts.inputs[name] ?? '').trim(),
    setOutput: (name: string, value: string) => {
      results.outputs[name] = value;
    },
    exportVariable: (name: string, value: string) => {
      results.exports[name] = value;
    },
    addPath: (dir: string) => {
      results.paths.unshift(dir);
    },
    setSecret: (value: string) => masker.add(value),
    saveState: async (name: string, value: string) => {
      state[name] = value;
      await opts.recordState?.(name, value);
    },
    getState: (name: string) => state[name] ?? '',
    appendSummary: async () => {},
    group: async <T>(title: string, fn: () => Promise<T>) => {
      if (progressShown) opts.stderr.write('\n');
      line(paint('1', `── ${title}`));
      return fn();
    },
    isDebug: () => opts.debug,
    getIDToken: async (audience: string) => {
      // Only GitHub Actions hands out tokens on request; elsewhere tbot reads the env.
      const { requestGithubIdToken } = await import('./github-id-token');
      return requestGithubIdToken(opts.env, audience);
    },
    fail: (message: string) => {
      platform.failed = true;
      line(
        `${paint('31', 'teleport-ci:')} ${safeLogLines(inputsAsFlags(message, opts.flags ?? new Set()))}`,
      );
    },
    tempDir: () => opts.env.RUNNER_TEMP || tmpdir(),
    toolCacheDir: () =>
      opts.env.RUNNER_TOOL_CACHE ||
      join(
        opts.env.XDG_CACHE_HOME || join(opts.env.HOME || homedir(), '.cache'),
        'teleport-ci',
        'tools',
      ),
  };
  return platform as ShellPlatform;
}
