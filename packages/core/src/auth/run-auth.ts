import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockDown, makeCredentialsDir, useCredentialsDir } from '../credentials';
import { UserError } from '../errors';
import type { JoinPreflight } from '../join/github';
import { joinPreflight } from '../join/preflight';
import type { CiPlatform } from '../platform/platform';
import { type IssuedIdentity, readIssuedIdentity } from '../tbot/certificate';
import { type BotConfig, type Output, renderTbotConfig, type Service } from '../tbot/config';
import { runTbotOnce, startTbotBackground, TbotFailedError, tbotEnv } from '../tbot/run';
import { detectTbot, type TbotBinary } from '../tbot/version';
import { readSharedAuthInputs, type SharedAuthInputs } from './inputs';
import { STATE } from './state';

export interface AuthContext {
  platform: CiPlatform;
  inputs: SharedAuthInputs;
  tbot: TbotBinary;
  /** The step's private credentials folder. */
  dir: string;
}

/** What one auth action adds to the shared flow. */
export interface AuthAction {
  /** The action's name, e.g. `auth-k8s`. */
  name: string;
  version: string;
  /** Reads and checks the action's own inputs (before anything runs). */
  readInputs(platform: CiPlatform): void;
  /** Refuses a tbot too old for what the inputs ask (before anything runs). */
  check?(tbot: TbotBinary): void;
  /** The outputs (one-shot) or services (background) for tbot, given the job's tbot. */
  configure(ctx: AuthContext): { outputs: Output[]; services?: Service[] };
  /** Background actions: how to reach tbot's diagnostics and how long to wait. */
  background?(platform: CiPlatform): { diagAddr: string; timeoutMs: number };
  /** Sets step outputs and variables once tbot succeeded; returns rows for the summary. */
  publish(ctx: AuthContext): Promise<Array<[string, string]>>;
}

const JOIN_WORDS = /join|token|allow rule|audience|expired|claims|denied|not found|access/i;

function explainFailure(err: TbotFailedError, token: string, preflight?: JoinPreflight): UserError {
  if (!preflight || !JOIN_WORDS.test(err.reason)) return err;
  return new UserError(
    `tbot could not join with token '${token}': ${err.reason}. This job's ID token has ${preflight.summary}: compare them with the token's allow rules`,
  );
}

function summaryTable(
  action: string,
  who: IssuedIdentity | undefined,
  rows: Array<[string, string]>,
) {
  const lines = [`### Teleport ${action}`, '', '| | |', '| --- | --- |'];
  if (who) {
    lines.push(`| Bot | \`${who.bot ?? who.user}\` |`);
    lines.push(`| Roles | ${who.roles.map((r) => `\`${r}\``).join(', ') || "all of the bot's"} |`);
    lines.push(`| Expires | ${who.expires.toISOString()} |`);
  }
  for (const [k, v] of rows) lines.push(`| ${k} | \`${v}\` |`);
  return `${lines.join('\n')}\n`;
}

/** The main step of every auth action: check, join, write, publish. */
export async function runAuth(platform: CiPlatform, action: AuthAction): Promise<void> {
  const inputs = readSharedAuthInputs(platform);
  action.readInputs(platform);
  const tbot = await detectTbot(platform.env, 'tbot', platform.setupHint);
  platform.log.info(`Using tbot ${tbot.version}${tbot.enterprise ? ' (Enterprise)' : ''}`);
  action.check?.(tbot);
  const preflight = await joinPreflight(platform, platform.joinMethod, inputs.proxy);

  // The CLI's --out names the folder; otherwise a fresh one per step.
  const out = platform.getInput('out');
  const dir = out
    ? await useCredentialsDir(out)
    : await makeCredentialsDir(platform.tempDir(), action.name);
  await platform.saveState(STATE.credentialsDir, dir);
  await platform.saveState(STATE.cleanup, String(inputs.cleanup));
  const workDir = await mkdtemp(join(platform.tempDir(), `teleport-${action.name}-tbot-`));
  await platform.saveState(STATE.workDir, workDir);
  const ctx: AuthContext = { platform, inputs, tbot, dir };

  // The CLI's --data-dir: tbot's own identity kept between runs (bound_keypair on an agent).
  const dataDir = platform.getInput('data-dir');
  if (dataDir) await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const background = action.background?.(platform);
  const { outputs, services } = action.configure(ctx);
  const config: BotConfig = {
    proxyServer: inputs.proxy.hostPort,
    joinMethod: platform.joinMethod,
    token: inputs.token,
    caPins: inputs.caPins,
    certificateTtl: inputs.certificateTtl,
    oneshot: !background,
    ...(dataDir ? { storage: { type: 'directory' as const, path: dataDir } } : {}),
    debug: platform.isDebug(),
    diagAddr: background?.diagAddr,
    outputs,
    services,
  };
  const configPath = join(workDir, 'tbot.yaml');
  await writeFile(configPath, renderTbotConfig(config, tbot.version), { mode: 0o600 });
  platform.log.debug(`tbot configuration at ${configPath}`);
  const env = tbotEnv(platform.env, {
    TELEPORT_ANONYMOUS_TELEMETRY: inputs.anonymousTelemetry ? '1' : '0',
    _TBOT_TELEMETRY_HELPER: platform.telemetryName(action.name),
    _TBOT_TELEMETRY_HELPER_VERSION: action.version,
  });

  try {
    if (background) {
      const logPath = join(workDir, 'tbot.log');
      await platform.saveState(STATE.tbotLog, logPath);
      const running = await startTbotBackground({
        tbotPath: tbot.path,
        configPath,
        env,
        logPath,
        diagAddr: background.diagAddr,
        timeoutMs: background.timeoutMs,
        log: platform.log,
      });
      await platform.saveState(STATE.tbotPid, String(running.pid));
    } else {
      await runTbotOnce({ tbotPath: tbot.path, configPath, env, log: platform.log });
      await lockDown(dir);
    }
  } catch (err) {
    if (err instanceof TbotFailedError) throw explainFailure(err, inputs.token, preflight);
    throw err;
  }

  const who = await readIssuedIdentity(join(dir, 'tlscert')).catch(() => undefined);
  const rows = await action.publish(ctx);
  platform.setOutput('destination-dir', dir);
  if (who) {
    platform.log.info(
      `Joined as ${who.user} with roles ${who.roles.join(', ') || '(all)'}; credentials expire ${who.expires.toISOString()}`,
    );
  }
  await platform.appendSummary(summaryTable(action.name, who, rows));
}
