import { type CliResults, UserError } from '@teleport-actions/core/teleport-ci';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Single-quotes a value for POSIX shells: safe to eval whatever it holds. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Step outputs as variables: `ssh-config` becomes `TELEPORT_CI_SSH_CONFIG`. */
export function outputVariable(output: string): string {
  return `TELEPORT_CI_${output.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function variables(results: CliResults): Array<[string, string]> {
  const vars: Array<[string, string]> = [
    ...Object.entries(results.exports),
    ...Object.entries(results.outputs).map(([k, v]) => [outputVariable(k), v] as [string, string]),
  ];
  for (const [name] of vars) {
    if (!NAME.test(name))
      throw new UserError(`refusing to export a variable named ${JSON.stringify(name)}`);
  }
  return vars;
}

/** `export NAME='value'` lines, for `eval` and for files a shell sources (`$BASH_ENV`). */
export function shellExports(results: CliResults): string {
  const lines = variables(results).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  if (results.paths.length > 0) {
    lines.push(`export PATH=${shellQuote(results.paths.join(':'))}:"$PATH"`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** `NAME=value` lines for dotenv readers (GitLab `artifacts: reports: dotenv`): no quoting. */
export function dotenvExports(results: CliResults, currentPath: string): string {
  const vars = variables(results);
  if (results.paths.length > 0) vars.push(['PATH', [...results.paths, currentPath].join(':')]);
  const bad = vars.find(([, v]) => /[\r\n]/.test(v));
  if (bad)
    throw new UserError(
      `${bad[0]} holds a line break, which dotenv files cannot carry: use --env-format shell`,
    );
  return vars.map(([k, v]) => `${k}=${v}\n`).join('');
}
