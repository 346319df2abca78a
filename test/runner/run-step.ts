/**
 * `run:` steps, as the runner's ScriptHandler runs them: the script goes to a temp file and the
 * shell runs it. No `shell:` means `bash -e {0}` (or `sh -e {0}` without bash); `shell: bash` is
 * `bash --noprofile --norc -e -o pipefail {0}`; `sh`, `python` and any `cmd args {0}` work too.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { interpolate } from './expressions';
import { runProcess } from './process';
import type { HandlerResult, StepContext } from './step';

const DEFAULT_ARGS: Record<string, string> = {
  bash: '--noprofile --norc -e -o pipefail {0}',
  sh: '-e {0}',
  python: '{0}',
  cmd: '/D /E:ON /V:OFF /S /C "CALL "{0}""',
  pwsh: '-command ". \'{0}\'"',
  powershell: '-command ". \'{0}\'"',
};

const EXTENSIONS: Record<string, string> = {
  bash: '.sh',
  sh: '.sh',
  python: '.py',
  cmd: '.cmd',
  pwsh: '.ps1',
  powershell: '.ps1',
};

/** Finds a command on PATH like `which`. */
export function which(command: string, path: string): string | undefined {
  if (command.includes('/')) return command;
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const full = join(dir, command);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // next
    }
  }
  return undefined;
}

/** Splits an argument string the way .NET's Process does on Unix: spaces, "quotes", \" escapes. */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let cur = '';
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '"') {
      cur += '"';
      i++;
      started = true;
    } else if (c === '"') {
      inQuotes = !inQuotes;
      started = true;
    } else if (/\s/.test(c) && !inQuotes) {
      if (started) args.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (started) args.push(cur);
  return args;
}

export interface RunStepSpec {
  run: unknown;
  shell?: unknown;
  workingDirectory?: unknown;
}

export async function runScript(ctx: StepContext, spec: RunStepSpec): Promise<HandlerResult> {
  const { job, output, scope } = ctx;
  const contents = interpolate(spec.run, scope);
  const defaults = job.defaults;

  // Header, as the runner prints it (script lines are cyan there; plain here).
  const trimmed = contents.replace(/^[ \t\r\n]+/, '');
  const firstLine = trimmed.split(/\r?\n|\r/)[0] ?? '';
  output.group(`Run ${firstLine}`);
  for (const line of contents.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n')) {
    output.write(line);
  }

  const env = job.processEnv(ctx.envContext, ctx.github);
  const pathForLookup = env.PATH ?? '';
  const shellOption =
    spec.shell !== undefined && spec.shell !== null
      ? interpolate(spec.shell, scope)
      : defaults.shell;
  let shellCommand: string;
  let commandPath: string | undefined;
  let argFormat: string;
  if (!shellOption) {
    shellCommand = 'sh';
    commandPath = which('bash', pathForLookup) ?? which('sh', pathForLookup);
    argFormat = DEFAULT_ARGS.sh!;
  } else {
    const space = shellOption.indexOf(' ');
    shellCommand = space < 0 ? shellOption : shellOption.slice(0, space);
    const given = space < 0 ? '' : shellOption.slice(space + 1).trimStart();
    commandPath = which(shellCommand, pathForLookup);
    argFormat = given || DEFAULT_ARGS[shellCommand] || '';
    if (shellCommand === 'python' && !given) argFormat = '{0}';
  }
  output.write(`shell: ${commandPath ?? shellCommand} ${argFormat}`);
  const shown = Object.entries(ctx.envContext);
  if (shown.length > 0) {
    output.write('env:');
    for (const [k, v] of shown) output.write(`  ${k}: ${v}`);
  }
  output.endGroup();

  if (!commandPath) throw new Error(`${shellCommand}: command not found`);
  if (!argFormat.includes('{0}')) {
    throw new Error(
      "Invalid shell option. Shell must be a valid built-in (bash, sh, cmd, powershell, pwsh) or a format string containing '{0}'",
    );
  }

  const scriptPath = join(
    job.machine.runnerTemp,
    `${randomUUID()}${EXTENSIONS[shellCommand] ?? ''}`,
  );
  await writeFile(scriptPath, contents);
  const args = splitArgs(argFormat.split('{0}').join(scriptPath.replace(/"/g, '\\"')));

  const wdRaw = spec.workingDirectory ?? defaults['working-directory'];
  const wd = wdRaw !== undefined && wdRaw !== null ? interpolate(wdRaw, scope) : '';
  const cwd =
    wd === '' ? job.machine.workspace : isAbsolute(wd) ? wd : join(job.machine.workspace, wd);

  output.debug(`${commandPath} ${args.join(' ')}`);
  const r = await runProcess(
    { command: commandPath, args, cwd, env, timeoutMs: ctx.timeoutMs },
    output,
    job.tracker,
  );
  if (r.startError) {
    throw new Error(
      `An error occurred trying to start process '${commandPath}' with working directory '${cwd}'. ${r.startError.message}`,
    );
  }
  if (r.timedOut) return { exitCode: null, failed: true, timedOut: true };
  if (r.exitCode !== 0) {
    output.annotate('error', `Process completed with exit code ${r.exitCode}.`);
    return { exitCode: r.exitCode, failed: true };
  }
  return { exitCode: 0, failed: false };
}
