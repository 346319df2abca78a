import { parseArgs } from 'node:util';
import { errorMessage, UserError } from '@teleport-actions/core/teleport-ci';
import { COMMANDS, COMMON_FLAGS } from './usage';

/** A command line, read: what the engine sees as inputs, and the flags only the CLI uses. */
export interface CommandLine {
  /** Input values by name: each flag, else the variable that supplies it; switches as 'true'/'false'. */
  inputs: Record<string, string>;
  printEnv: boolean;
  writeEnv?: string;
  /** How `--write-env` writes: `export NAME='value'` lines, or dotenv `NAME=value`. */
  envFormat: 'shell' | 'dotenv';
  stateFile?: string;
  debug: boolean;
}

/** The flags and switches of one command: messages that name one of these say `--name`. */
export function flagNames(command: string): ReadonlySet<string> {
  const spec = COMMANDS[command];
  return new Set([...Object.keys(spec?.flags ?? {}), ...Object.keys(spec?.switches ?? {})]);
}

function parseStrict(command: string, args: string[]) {
  const spec = COMMANDS[command]!;
  const options: Record<string, { type: 'string' | 'boolean' }> = { debug: { type: 'boolean' } };
  for (const name of [...Object.keys(spec.flags), ...Object.keys(COMMON_FLAGS)])
    options[name] = { type: 'string' };
  for (const name of Object.keys(spec.switches ?? {})) options[name] = { type: 'boolean' };
  try {
    const parsed = parseArgs({
      args,
      options,
      strict: true,
      allowPositionals: command === 'daemon',
    });
    if (command === 'daemon' && parsed.positionals.join(' ') !== 'install') {
      throw new UserError(
        `expected 'teleport-ci daemon install', got '${['daemon', ...parsed.positionals].join(' ')}'`,
      );
    }
    return parsed.values;
  } catch (err) {
    const reason = errorMessage(err)
      .replace(/\. To specify .*$/, '')
      .replace(/^Unknown option/, 'unknown flag');
    throw new UserError(`${reason}: see 'teleport-ci ${command} --help'`);
  }
}

/** Reads a command's flags (strictly: an unknown flag is an error that points at `--help`). */
export function parseCommandLine(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): CommandLine {
  const values = parseStrict(command, args);
  const spec = COMMANDS[command]!;
  const inputs: Record<string, string> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    const value = values[name];
    inputs[name] = typeof value === 'string' ? value : ((flag.env && env[flag.env]) ?? '');
  }
  for (const name of Object.keys(spec.switches ?? {}))
    inputs[name] = values[name] ? 'true' : 'false';
  inputs.cache = 'false'; // GitHub's Actions cache is for the actions, not the CLI
  const text = (name: string) => values[name] as string | undefined;
  const envFormat = text('env-format') ?? 'shell';
  // Checked now, before a command starts anything it would have to undo.
  if (envFormat !== 'shell' && envFormat !== 'dotenv') {
    throw new UserError(`--env-format '${envFormat}' is not 'shell' or 'dotenv'`);
  }
  return {
    inputs,
    printEnv: Boolean(values['print-env']),
    writeEnv: text('write-env'),
    envFormat,
    stateFile: text('state-file'),
    debug: Boolean(values.debug) || env.TBOT_DEBUG === '1' || env.TBOT_DEBUG === 'true',
  };
}
