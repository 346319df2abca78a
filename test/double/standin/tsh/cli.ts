// tsh's command line as far as the stand-in goes (tool/tsh/common/tsh.go, kingpin): global
// flags anywhere before the command's own arguments, with their environment defaults
// (TELEPORT_IDENTITY_FILE, TELEPORT_PROXY, TELEPORT_LOGIN, TELEPORT_CLUSTER, TELEPORT_USER);
// `ls [labels]`, `ssh [user@]host [command...]` (not interspersed: everything after the host
// is the remote command, as `ssh.Interspersed(false)` makes it), `proxy ssh [user@]host[:port]`
// and `version`. kingpin's messages: `unknown long flag '--x'`, `expected argument for flag
// '--x'`, `required argument 'host' not provided`.
import { UsageError } from '../tbot/errors';

type Kind = 'string' | 'bool';

interface FlagSpec {
  long: string;
  short?: string;
  kind: Kind;
  envar?: string;
}

const GLOBAL: FlagSpec[] = [
  { long: 'identity', short: 'i', kind: 'string', envar: 'TELEPORT_IDENTITY_FILE' },
  { long: 'proxy', kind: 'string', envar: 'TELEPORT_PROXY' },
  { long: 'login', short: 'l', kind: 'string', envar: 'TELEPORT_LOGIN' },
  { long: 'user', kind: 'string', envar: 'TELEPORT_USER' },
  { long: 'cluster', kind: 'string', envar: 'TELEPORT_CLUSTER' },
  { long: 'insecure', kind: 'bool' },
  { long: 'debug', short: 'd', kind: 'bool', envar: 'TELEPORT_DEBUG' },
];

const COMMAND_FLAGS: Record<string, FlagSpec[]> = {
  version: [
    { long: 'format', short: 'f', kind: 'string' },
    { long: 'client', kind: 'bool' },
  ],
  ls: [
    { long: 'verbose', short: 'v', kind: 'bool' },
    { long: 'format', short: 'f', kind: 'string' },
  ],
  ssh: [
    { long: 'port', short: 'p', kind: 'string' },
    { long: 'tty', short: 't', kind: 'bool' },
  ],
  'proxy ssh': [],
};

/** The commands the stand-in runs; anything else answers "not implemented". */
export const COMMANDS = Object.keys(COMMAND_FLAGS);

export interface TshArgs {
  /** `ls`, `ssh`, `proxy ssh`, `version`; '' when none was given. */
  command: string;
  /** The first word of an unknown command. */
  unknown?: string;
  flags: Record<string, string | boolean>;
  /** Positional arguments (for `ssh`: the host, then the remote command words). */
  args: string[];
}

export function parseTsh(argv: string[], env: NodeJS.ProcessEnv = process.env): TshArgs {
  const flags: Record<string, string | boolean> = {};
  const args: string[] = [];
  let command = '';
  const specs = () => [...GLOBAL, ...(COMMAND_FLAGS[command] ?? [])];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    // `tsh ssh host cmd -x`: after the host everything is the remote command.
    if (command === 'ssh' && args.length > 0) {
      args.push(token);
      continue;
    }
    if (token === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (token.startsWith('--') && token.length > 2) {
      const eq = token.indexOf('=');
      const name = eq >= 0 ? token.slice(2, eq) : token.slice(2);
      let spec = specs().find((f) => f.long === name);
      let negated = false;
      if (!spec && name.startsWith('no-')) {
        spec = specs().find((f) => f.long === name.slice(3) && f.kind === 'bool');
        negated = spec !== undefined;
      }
      if (!spec) throw new UsageError(`unknown long flag '--${name}'`);
      if (spec.kind === 'bool') {
        flags[spec.long] = !negated && (eq < 0 || ['true', '1'].includes(token.slice(eq + 1)));
        continue;
      }
      const value = eq >= 0 ? token.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`expected argument for flag '--${name}'`);
      flags[spec.long] = value;
      continue;
    }
    if (token.startsWith('-') && token.length > 1) {
      const letter = token.slice(1, 2);
      const spec = specs().find((f) => f.short === letter);
      if (!spec) throw new UsageError(`unknown short flag '-${letter}'`);
      if (spec.kind === 'bool') {
        flags[spec.long] = true;
        continue;
      }
      const value = token.length > 2 ? token.slice(2) : argv[++i];
      if (value === undefined) throw new UsageError(`expected argument for flag '-${letter}'`);
      flags[spec.long] = value;
      continue;
    }
    if (command === '') {
      if (token === 'proxy' && argv[i + 1] === 'ssh') {
        command = 'proxy ssh';
        i++;
      } else if (COMMAND_FLAGS[token] && token !== 'proxy ssh') {
        command = token;
      } else {
        return { command: '', unknown: token, flags, args };
      }
      continue;
    }
    args.push(token);
  }
  for (const spec of specs()) {
    if (flags[spec.long] !== undefined || !spec.envar) continue;
    const value = env[spec.envar];
    if (value === undefined || value === '') continue;
    flags[spec.long] = spec.kind === 'bool' ? ['true', '1', 'yes'].includes(value) : value;
  }
  return { command, flags, args };
}

export const str = (p: TshArgs, name: string): string => {
  const v = p.flags[name];
  return typeof v === 'string' ? v : '';
};
