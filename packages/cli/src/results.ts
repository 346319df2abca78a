import { appendFile } from 'node:fs/promises';
import { fileErrorWords, UserError } from '@teleport-actions/core/teleport-ci';
import type { CommandContext } from './command-context';
import { dotenvExports, outputVariable, shellExports } from './env-export';

/**
 * Hands what a command produced to the job: `--print-env` lines on stdout, `--write-env`
 * (or CircleCI's `$BASH_ENV`) appended to a file, else a note of where things are.
 */
export async function deliverResults({ platform, line, env, io, ci }: CommandContext) {
  const { results } = platform;
  const file = line.writeEnv ?? (ci.name === 'circleci' ? env.BASH_ENV : undefined);
  if (line.printEnv) {
    io.stdout(shellExports(results));
  } else {
    // Without --print-env, say where things are (stdout stays clean for scripts).
    for (const [name, value] of Object.entries(results.outputs)) {
      io.stderr.write(`${outputVariable(name)}=${value}\n`);
    }
    if (!line.writeEnv && !env.BASH_ENV && Object.keys(results.exports).length > 0) {
      io.stderr.write(
        'Use --print-env (eval "$(teleport-ci ... --print-env)") or --write-env to pass these to the job\'s shell.\n',
      );
    }
  }
  if (!file) return;
  // CircleCI sources $BASH_ENV before every later step: the natural place for results.
  const text =
    line.envFormat === 'dotenv' ? dotenvExports(results, env.PATH ?? '') : shellExports(results);
  await appendFile(file, text, { mode: 0o600 }).catch((err) => {
    const flag = line.writeEnv ? '--write-env' : '$BASH_ENV';
    throw new UserError(`${flag}: cannot write to ${file} (${fileErrorWords(err)}): name a file`);
  });
}
