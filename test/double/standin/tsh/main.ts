// The stand-in `tsh` (test/double/standin/README.md "The stand-in tsh"): `version` exactly as
// before, and, with an identity file (teleport-behaviour.md §3), `ls`, `ssh` (the real OpenSSH client) and
// `proxy ssh` against the auth double. Everything else answers "not implemented yet" like the
// other version-only stand-ins. Errors: `ERROR: <message>` on stderr, exit 1 (teleport-behaviour.md §1.6).
import { asTbotError } from '../tbot/errors';
import { COMMANDS, parseTsh } from './cli';

export interface TshBuild {
  version: string;
  edition: string;
  /** The exact `tsh version` line (teleport-behaviour.md §1.4). */
  versionLine: string;
}

function notImplemented(what: string): string {
  return `${what} is not implemented yet by this Teleport double stand-in (it answers ${COMMANDS.map((c) => `"tsh ${c}"`).join(', ')}; see test/double/standin/README.md)`;
}

async function run(build: TshBuild, argv: string[]): Promise<number> {
  // `tsh version` keeps the version-only stand-in's exact behaviour (one line, any arguments).
  if (argv[0] === 'version') {
    process.stdout.write(`${build.versionLine}\n`);
    return 0;
  }
  const p = parseTsh(argv);
  if (p.unknown !== undefined || p.command === '') {
    const what = p.unknown !== undefined ? `"tsh ${p.unknown}"` : 'running without a command';
    process.stderr.write(`ERROR: ${notImplemented(what)}\n`);
    return 1;
  }
  switch (p.command) {
    case 'version':
      process.stdout.write(`${build.versionLine}\n`);
      return 0;
    case 'ls':
      await (await import('./commands/ls')).lsCommand(p);
      return 0;
    case 'ssh':
      return (await import('./commands/ssh')).sshCommand(p);
    default:
      await (await import('./commands/proxy-ssh')).proxySshCommand(p);
      return 0;
  }
}

/** Entry point: runs this process's command line, then exits like tsh. */
export function main(build: TshBuild): void {
  run(build, process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`ERROR: ${asTbotError(err).render()}\n`);
      process.exit(1);
    },
  );
}
