import { access, constants } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  detectTbot,
  installDaemon,
  parseJoinMethodInput,
  parseProxyAddress,
  planDaemon,
  requiredInput,
  textInput,
} from '@teleport-actions/core/teleport-ci';
import type { CommandContext } from '../command-context';

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

/** `teleport-ci daemon install`: tbot as a systemd service on a CI agent. */
export async function runDaemonCommand({ platform, env, io }: CommandContext): Promise<void> {
  const input = (name: string, fallback: string) => textInput(platform, name) || fallback;
  const joinMethod = parseJoinMethodInput(input('join-method', 'bound_keypair'));
  const tbot = await detectTbot(
    env,
    input('tbot', 'tbot'),
    'install it first (teleport-ci setup --version auto --proxy <proxy> --print-env), or name it with --tbot',
  );
  const plan = {
    proxy: parseProxyAddress(
      requiredInput(
        platform,
        'proxy',
        "your proxy's public address, e.g. teleport.example.com:443",
      ),
    ),
    token: requiredInput(platform, 'token', 'the join token the agent joins with'),
    joinMethod,
    tbotPath: tbot.path === 'tbot' ? await which('tbot', env) : tbot.path,
    tbotVersion: tbot.version,
    binDir: input('bin-dir', '/usr/local/lib/teleport-ci'),
    registrationSecret: textInput(platform, 'registration-secret') || undefined,
    outputDir: input('out', '/opt/machine-id'),
    dataDir: input('data-dir', '/var/lib/teleport/bot'),
    configPath: input('config', '/etc/tbot.yaml'),
    unitPath: input('unit', '/etc/systemd/system/tbot.service'),
    botUser: input('bot-user', 'teleport'),
    readerUser: input('reader-user', 'jenkins'),
  };
  if (platform.getInput('dry-run') === 'true') {
    // Printed, the secret would end in a terminal or a log: a placeholder stands in for it.
    const shown = plan.registrationSecret
      ? { ...plan, registrationSecret: 'NOT-SHOWN-from-TBOT_REGISTRATION_SECRET' }
      : plan;
    const { files, commands } = planDaemon(shown);
    for (const f of files) io.stdout(`# ${f.path} (mode ${f.mode.toString(8)})\n${f.content}\n`);
    io.stdout(`# then:\n${commands.map((c) => c.join(' ')).join('\n')}\n`);
    return;
  }
  await installDaemon(plan);
  io.stderr.write(
    `Installed ${plan.unitPath} and ${plan.configPath}; credentials will appear in ${plan.outputDir}.\nStart it: systemctl daemon-reload && systemctl enable --now ${basename(plan.unitPath, '.service')}\n`,
  );
}
