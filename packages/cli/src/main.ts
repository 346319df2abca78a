import pkg from '../package.json' with { type: 'json' };
import { COMMANDS, commandHelp, mainHelp } from './usage';

// Start-up path: help and version answer without loading the engine.
const [command, ...args] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(mainHelp(pkg.version));
} else if (command === '--version' || command === 'version') {
  process.stdout.write(`teleport-ci ${pkg.version}\n`);
} else if (!(command in COMMANDS)) {
  process.stderr.write(
    `teleport-ci: unknown command '${command}': run 'teleport-ci --help' for the list\n`,
  );
  process.exitCode = 1;
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(commandHelp(command));
} else {
  // The engine loads only for a real command. No top-level await: the bundle is CommonJS,
  // which Node starts faster than an ES module.
  void import('./run-command').then(async ({ runCommand }) => {
    const color = Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
    process.exitCode = await runCommand(command, args, process.env, {
      stdout: (text) => process.stdout.write(text),
      stderr: {
        write: (text) => process.stderr.write(text),
        isTTY: Boolean(process.stderr.isTTY),
        color,
      },
    });
  });
}
