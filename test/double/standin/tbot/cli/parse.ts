// A small kingpin-like command-line parser: commands with aliases and a default subcommand,
// long and short flags anywhere after the command (`--f=v`, `--f v`, `-c v`, `-cv`), boolean
// `--f`/`--no-f`, environment defaults, enums, repeatable flags and required flags. Errors use
// kingpin's texts (`unknown long flag '--x'`, `required flag --x not provided`, ...).

import { parseGoDuration } from '../config/duration';
import { UsageError } from '../errors';

export type FlagKind = 'string' | 'bool' | 'strings' | 'duration' | 'enum';

export interface FlagSpec {
  long: string;
  short?: string;
  kind: FlagKind;
  envar?: string;
  required?: boolean;
  values?: string[];
  default?: string;
  help?: string;
}

export interface CommandSpec {
  name: string;
  aliases?: string[];
  help?: string;
  flags?: FlagSpec[];
  subs?: CommandSpec[];
  defaultSub?: string;
  /** Accepts and keeps any further arguments (for commands the stand-in only names). */
  passthrough?: boolean;
  hidden?: boolean;
}

export type FlagValue = string | boolean | string[] | number;

export interface Parsed {
  /** Canonical command names, e.g. ['start', 'identity']. */
  path: string[];
  flags: Record<string, FlagValue>;
  /** Flags given on the command line (not from the environment or defaults). */
  explicit: Set<string>;
  args: string[];
  help: boolean;
}

function findFlag(chain: CommandSpec[], pred: (f: FlagSpec) => boolean): FlagSpec | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const found = chain[i]?.flags?.find(pred);
    if (found) return found;
  }
  return undefined;
}

function findSub(cmd: CommandSpec, name: string): CommandSpec | undefined {
  return cmd.subs?.find((s) => s.name === name || s.aliases?.includes(name));
}

function convert(spec: FlagSpec, raw: string): FlagValue {
  switch (spec.kind) {
    case 'duration': {
      const ns = parseGoDuration(raw);
      if (ns === undefined) throw new UsageError(`time: invalid duration "${raw}"`);
      return ns;
    }
    case 'enum':
      if (!spec.values?.includes(raw)) {
        throw new UsageError(`enum value must be one of ${spec.values?.join(',')}, got '${raw}'`);
      }
      return raw;
    case 'bool':
      if (!['true', 'false', '1', '0'].includes(raw)) {
        throw new UsageError(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
      }
      return raw === 'true' || raw === '1';
    default:
      return raw;
  }
}

export function parseArgs(root: CommandSpec, argv: string[]): Parsed {
  const chain: CommandSpec[] = [root];
  const flags: Record<string, FlagValue> = {};
  const explicit = new Set<string>();
  const args: string[] = [];
  let help = false;
  const current = () => chain[chain.length - 1] as CommandSpec;
  const descendDefault = (): boolean => {
    const cmd = current();
    const sub = cmd.defaultSub ? findSub(cmd, cmd.defaultSub) : undefined;
    if (!sub) return false;
    chain.push(sub);
    return true;
  };
  const set = (spec: FlagSpec, value: FlagValue) => {
    explicit.add(spec.long);
    if (spec.kind === 'strings') {
      const prev = flags[spec.long];
      flags[spec.long] = [...(Array.isArray(prev) ? prev : []), String(value)];
    } else {
      flags[spec.long] = value;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (current().passthrough) {
      args.push(token);
      continue;
    }
    if (token === '--help' || token === '-h') {
      help = true;
      continue;
    }
    if (token.startsWith('--') && token.length > 2) {
      const eq = token.indexOf('=');
      const name = eq >= 0 ? token.slice(2, eq) : token.slice(2);
      const inline = eq >= 0 ? token.slice(eq + 1) : undefined;
      let spec = findFlag(chain, (f) => f.long === name);
      let negated = false;
      if (!spec && name.startsWith('no-')) {
        spec = findFlag(chain, (f) => f.long === name.slice(3) && f.kind === 'bool');
        negated = spec !== undefined;
      }
      if (!spec) {
        if (descendDefault()) {
          i--;
          continue;
        }
        throw new UsageError(`unknown long flag '--${name}'`);
      }
      if (spec.kind === 'bool') {
        set(spec, negated ? false : inline === undefined ? true : convert(spec, inline));
        continue;
      }
      let value = inline;
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new UsageError(`expected argument for flag '--${name}'`);
      }
      set(spec, convert(spec, value));
      continue;
    }
    if (token.startsWith('-') && token.length > 1 && token !== '-') {
      const letter = token.slice(1, 2);
      const spec = findFlag(chain, (f) => f.short === letter);
      if (!spec) {
        if (descendDefault()) {
          i--;
          continue;
        }
        throw new UsageError(`unknown short flag '-${letter}'`);
      }
      if (spec.kind === 'bool') {
        set(spec, true);
        continue;
      }
      let value: string | undefined = token.slice(2);
      if (value === '') {
        value = argv[++i];
        if (value === undefined) throw new UsageError(`expected argument for flag '-${letter}'`);
      }
      set(spec, convert(spec, value));
      continue;
    }
    const cmd = current();
    if (cmd.subs && cmd.subs.length > 0) {
      const sub = findSub(cmd, token);
      if (sub) {
        chain.push(sub);
        continue;
      }
      if (descendDefault()) {
        i--;
        continue;
      }
      throw new UsageError(`expected command but got "${token}"`);
    }
    throw new UsageError(`unexpected ${token}`);
  }
  while ((current().subs?.length ?? 0) > 0 && !help) {
    // kingpin's ErrCommandNotSpecified.
    if (!descendDefault()) throw new UsageError('command not specified');
  }
  // Environment defaults and defaults, then required flags.
  for (const cmd of chain) {
    for (const spec of cmd.flags ?? []) {
      if (flags[spec.long] !== undefined) continue;
      const env = spec.envar ? process.env[spec.envar] : undefined;
      const raw = env !== undefined && env !== '' ? env : spec.default;
      if (raw !== undefined) {
        flags[spec.long] = spec.kind === 'strings' ? [raw] : convert(spec, raw);
      } else if (spec.required && !help) {
        throw new UsageError(`required flag --${spec.long} not provided`);
      }
    }
  }
  return { path: chain.slice(1).map((c) => c.name), flags, explicit, args, help };
}

/** A short usage text (kingpin prints a longer one; nobody parses it). */
export function usage(root: CommandSpec, path: string[]): string {
  let cmd = root;
  for (const name of path) cmd = findSub(cmd, name) ?? cmd;
  const lines = [`usage: tbot ${path.join(' ')}${cmd.subs ? ' <command>' : ''} [<flags>]`, ''];
  if (cmd.help) lines.push(cmd.help, '');
  const flags = [...(root.flags ?? []), ...(cmd === root ? [] : (cmd.flags ?? []))];
  if (flags.length > 0) {
    lines.push('Flags:');
    for (const f of flags) {
      const name = `${f.short ? `-${f.short}, ` : '    '}--${f.long}`;
      lines.push(`  ${name.padEnd(28)} ${f.help ?? ''}`.trimEnd());
    }
    lines.push('');
  }
  const subs = (cmd.subs ?? []).filter((s) => !s.hidden);
  if (subs.length > 0) {
    lines.push('Commands:');
    for (const s of subs) lines.push(`  ${s.name.padEnd(28)} ${s.help ?? ''}`.trimEnd());
    lines.push('');
  }
  return lines.join('\n');
}
