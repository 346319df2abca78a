// The stand-in `tbot` (test/double/standin/README.md). The tarball builder bundles this module
// with esbuild into the sh/JS polyglot and calls `main(build)` with the version it stands for.
import { type BuildInfo, featuresOf } from './build';
import { rootCommand } from './cli/commands';
import { parseArgs, usage } from './cli/parse';
import { asTbotError, TbotError, UsageError } from './errors';

function fail(err: unknown): void {
  const e = asTbotError(err);
  // teleport-behaviour.md §1.6: `ERROR: <message>` on stderr, exit 1.
  process.stderr.write(`ERROR: ${e.render()}\n`);
  process.exitCode = e.exitCode;
}

async function run(build: BuildInfo, argv: string[]): Promise<void> {
  const f = featuresOf(build.version);
  const root = rootCommand(f);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(root, argv);
  } catch (err) {
    if (err instanceof UsageError) process.stderr.write(`${usage(root, [])}\n`);
    throw err;
  }
  const [command = '', sub] = parsed.path;
  if (parsed.help || command === 'help') {
    process.stdout.write(`${usage(root, parsed.help ? parsed.path : parsed.args)}\n`);
    return;
  }
  switch (command) {
    case 'version':
      process.stdout.write(`${build.versionLine}\n`);
      return;
    case 'start':
      return (await import('./commands/start')).startCommand(parsed, build, f);
    case 'configure':
      return (await import('./commands/configure')).configureCommand(parsed, f);
    case 'ssh-proxy-command':
      return (await import('./commands/ssh-proxy-command')).sshProxyCommand(parsed);
    case 'kube':
      if (sub === 'credentials') {
        return (await import('./commands/kube-credentials')).kubeCredentials(parsed);
      }
      break;
    case 'wait':
      return (await import('./commands/wait')).waitCommand(parsed);
    default:
      break;
  }
  throw new TbotError(
    `"tbot ${parsed.path.join(' ')}" is not implemented by this Teleport double stand-in`,
  );
}

/** Entry point: runs the command line of this process, then exits like tbot. */
export function main(build: BuildInfo): void {
  run(build, process.argv.slice(2)).then(
    () => {
      // Background mode returns once stopped; servers are closed, so exit now.
      process.exit(process.exitCode ?? 0);
    },
    (err: unknown) => {
      fail(err);
      process.exit(process.exitCode ?? 1);
    },
  );
}
