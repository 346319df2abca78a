import { access, appendFile, constants, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AuthAction,
  applicationTunnelAction,
  authAction,
  authAppAction,
  authK8sAction,
  authSshAction,
  type CliIo,
  cliPlatform,
  databaseTunnelAction,
  detectCi,
  detectTbot,
  errorMessage,
  installDaemon,
  JOIN_METHODS,
  type JoinMethod,
  parseProxyAddress,
  planDaemon,
  readAllState,
  runAuth,
  runAuthPost,
  runSetup,
  UserError,
} from '@teleport-actions/core/cli';
import pkg from '../package.json' with { type: 'json' };
import { COMMANDS, COMMON_FLAGS } from './commands';
import { dotenvExports, outputVariable, shellExports } from './env-export';

const AUTH_ACTIONS: Record<string, (version: string) => AuthAction> = {
  auth: authAction,
  'auth-ssh': authSshAction,
  'auth-k8s': authK8sAction,
  'auth-app': authAppAction,
  'database-tunnel': databaseTunnelAction,
  'application-tunnel': applicationTunnelAction,
};

export interface CliStreams {
  stdout: (text: string) => void;
  stderr: CliIo;
}

/** Core speaks of inputs (`Input 'proxy'`, `check 'proxy'`); on the command line they are flags. */
function asFlags(message: string, command: string): string {
  const spec = COMMANDS[command];
  const flags = new Set([...Object.keys(spec?.flags ?? {}), ...Object.keys(spec?.switches ?? {})]);
  return message
    .replace(/Input '([\w-]+)'/g, '--$1')
    .replace(/'([\w-]+)'/g, (quoted, name: string) => (flags.has(name) ? `--${name}` : quoted));
}

function parse(command: string, args: string[]) {
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

/** Runs one command; returns the exit code. */
export async function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  io: CliStreams,
): Promise<number> {
  const ci = detectCi(env);
  const fail = (message: string) => {
    const red = io.stderr.color ? (t: string) => `\x1b[31m${t}\x1b[0m` : (t: string) => t;
    io.stderr.write(`${red('teleport-ci:')} ${command}: ${asFlags(message, command)}\n`);
    return 1;
  };
  let values: ReturnType<typeof parse>;
  try {
    values = parse(command, args);
  } catch (err) {
    return fail(errorMessage(err));
  }
  const spec = COMMANDS[command]!;
  const inputs: Record<string, string> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    const value = values[name];
    inputs[name] = typeof value === 'string' ? value : ((flag.env && env[flag.env]) ?? '');
  }
  for (const name of Object.keys(spec.switches ?? {}))
    inputs[name] = values[name] ? 'true' : 'false';
  inputs.cache = 'false'; // GitHub's Actions cache is for the actions, not the CLI
  const stateFile =
    (values['state-file'] as string | undefined) ??
    join(tmpdir(), `teleport-ci-state-${ci.name}-${ci.jobId.replace(/[^\w.-]/g, '_')}.json`);
  const debug = Boolean(values.debug) || env.TBOT_DEBUG === '1' || env.TBOT_DEBUG === 'true';

  if (command === 'cleanup') return cleanup(stateFile, env, io, debug, ci.name);
  if (command === 'daemon') {
    try {
      await daemonInstall(inputs, env, io);
      return 0;
    } catch (err) {
      return fail(errorMessage(err));
    }
  }

  const joinMethod = (inputs['join-method'] || ci.joinMethod || '') as JoinMethod;
  if (AUTH_ACTIONS[command]) {
    if (!joinMethod) {
      return fail(
        `--join-method is required on ${ci.name === 'local' ? 'this machine' : ci.name} (no CI ID token to use): e.g. --join-method bound_keypair`,
      );
    }
    if (!JOIN_METHODS.includes(joinMethod)) {
      return fail(`--join-method '${joinMethod}' is not one of ${JOIN_METHODS.join(', ')}`);
    }
  }
  const platform = cliPlatform({
    ciName: ci.name,
    joinMethod: joinMethod || 'token',
    inputs,
    env,
    stateFile,
    command,
    stderr: io.stderr,
    debug,
  });
  try {
    const action = AUTH_ACTIONS[command];
    if (action) await runAuth(platform, action(pkg.version));
    else await runSetup(platform);
    deliver(platform.results, values, env, io);
    if (values['write-env'] || env.BASH_ENV)
      await writeEnvFile(platform.results, values, env, ci.name);
    return 0;
  } catch (err) {
    if (!(err instanceof UserError) && err instanceof Error && debug)
      io.stderr.write(`${err.stack}\n`);
    return fail(platform.masker.mask(errorMessage(err)));
  }
}

function deliver(
  results: ReturnType<typeof cliPlatform>['results'],
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  io: CliStreams,
) {
  if (values['print-env']) {
    io.stdout(shellExports(results));
    return;
  }
  // Without --print-env, say where things are (stdout stays clean for scripts).
  for (const [name, value] of Object.entries(results.outputs)) {
    io.stderr.write(`${outputVariable(name)}=${value}\n`);
  }
  if (!values['write-env'] && !env.BASH_ENV && Object.keys(results.exports).length > 0) {
    io.stderr.write(
      'Use --print-env (eval "$(teleport-ci ... --print-env)") or --write-env to pass these to the job\'s shell.\n',
    );
  }
}

async function writeEnvFile(
  results: ReturnType<typeof cliPlatform>['results'],
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  ci: string,
) {
  // CircleCI sources $BASH_ENV before every later step: the natural place for results.
  const file =
    (values['write-env'] as string | undefined) ?? (ci === 'circleci' ? env.BASH_ENV : undefined);
  if (!file) return;
  const format = (values['env-format'] as string | undefined) ?? 'shell';
  if (format !== 'shell' && format !== 'dotenv') {
    throw new UserError(`--env-format '${format}' is not 'shell' or 'dotenv'`);
  }
  const text = format === 'shell' ? shellExports(results) : dotenvExports(results, env.PATH ?? '');
  await appendFile(file, text, { mode: 0o600 });
}

async function daemonInstall(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv,
  io: CliStreams,
) {
  const need = (name: string, example: string) => {
    if (!inputs[name]) throw new UserError(`Input '${name}': is required: ${example}`);
    return inputs[name]!;
  };
  const joinMethod = (inputs['join-method'] || 'bound_keypair') as JoinMethod;
  if (!JOIN_METHODS.includes(joinMethod)) {
    throw new UserError(
      `Input 'join-method': '${joinMethod}' is not one of ${JOIN_METHODS.join(', ')}`,
    );
  }
  const tbot = await detectTbot(
    env,
    inputs.tbot || 'tbot',
    'install it first (teleport-ci setup --version auto --proxy <proxy> --print-env), or name it with --tbot',
  );
  const plan = {
    proxy: parseProxyAddress(
      need('proxy', "your proxy's public address, e.g. teleport.example.com:443"),
    ),
    token: need('token', 'the join token the agent joins with'),
    joinMethod,
    tbotPath: tbot.path === 'tbot' ? await which('tbot', env) : tbot.path,
    tbotVersion: tbot.version,
    outputDir: inputs.out || '/opt/machine-id',
    dataDir: inputs['data-dir'] || '/var/lib/teleport/bot',
    configPath: inputs.config || '/etc/tbot.yaml',
    unitPath: inputs.unit || '/etc/systemd/system/tbot.service',
    botUser: inputs['bot-user'] || 'teleport',
    readerUser: inputs['reader-user'] || 'jenkins',
  };
  if (inputs['dry-run'] === 'true') {
    const { files, commands } = planDaemon(plan);
    for (const f of files) io.stdout(`# ${f.path} (mode ${f.mode.toString(8)})\n${f.content}\n`);
    io.stdout(`# then:\n${commands.map((c) => c.join(' ')).join('\n')}\n`);
    return;
  }
  await installDaemon(plan);
  io.stderr.write(
    `Installed ${plan.unitPath} and ${plan.configPath}; credentials will appear in ${plan.outputDir}.\nStart it: systemctl daemon-reload && systemctl enable --now ${basename(plan.unitPath, '.service')}\n`,
  );
}

/** The absolute path of a program on PATH (the unit needs one). */
async function which(name: string, env: NodeJS.ProcessEnv): Promise<string> {
  for (const dir of (env.PATH ?? '').split(':').filter(Boolean)) {
    const candidate = join(dir, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return name;
}

async function cleanup(
  stateFile: string,
  env: NodeJS.ProcessEnv,
  io: CliStreams,
  debug: boolean,
  ciName: string,
) {
  const all = await readAllState(stateFile);
  for (const [command, state] of Object.entries(all)) {
    const platform = cliPlatform({
      ciName,
      joinMethod: 'token',
      inputs: {},
      env,
      stateFile,
      command,
      stderr: io.stderr,
      debug,
      initialState: state,
    });
    await runAuthPost(platform);
  }
  await rm(stateFile, { force: true });
  if (Object.keys(all).length === 0) io.stderr.write('Nothing to clean up.\n');
  return 0;
}
