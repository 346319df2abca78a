import { spawn } from 'node:child_process';

export interface ExecResult {
  code: number | null;
  /** The signal that ended the program, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether it ran past `timeoutMs` and was stopped. */
  timedOut: boolean;
}

/** Runs a program to completion, capturing its output (never through a shell). */
export function execCapture(
  file: string,
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    onLine?: (line: string) => void;
    /** Stop it (its whole process group: SIGTERM, then SIGKILL) after this long. */
    timeoutMs?: number;
  } = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: opts.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout stops whatever it started too.
      detached: opts.timeoutMs !== undefined,
    });
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    const timers: NodeJS.Timeout[] = [];
    if (opts.timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          killGroup('SIGTERM');
          timers.push(setTimeout(() => killGroup('SIGKILL'), 3000));
        }, opts.timeoutMs),
      );
    }
    let stdout = '';
    let stderr = '';
    let partial = '';
    const lines = (text: string) => {
      if (!opts.onLine) return;
      partial += text;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) opts.onLine(line);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      lines(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      lines(d);
    });
    child.on('error', (err) => {
      for (const t of timers) clearTimeout(t);
      reject(err);
    });
    child.on('close', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      if (partial && opts.onLine) opts.onLine(partial);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}
