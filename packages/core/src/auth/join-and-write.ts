import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors';
import { type FailureContext, tbotFailureCause } from '../join/failure-hints';
import type { JoinPreflight } from '../join/id-token';
import { joinPreflight } from '../join/preflight';
import type { CiPlatform } from '../platform/platform';
import { type IssuedIdentity, readIssuedIdentity } from '../tbot/certificate';
import { type BotConfig, renderTbotConfig, warmUpTbotConfig } from '../tbot/config';
import { detectTbot, type TbotBinary } from '../tbot/detect';
import { requireFeature, requireJoinMethod } from '../tbot/features';
import { runTbotOnce, startTbotBackground, TbotFailedError, tbotEnv } from '../tbot/process';
import { checkConfigured, checkRegistrationSecretEnv } from '../tbot/requirements';
import { checkOutputsWritten } from '../tbot/written-files';
import type { AuthAction, AuthContext } from './auth-action';
import { lockDown, makeCredentialsDir, useCredentialsDir } from './credentials';
import { type AuthInputs, readAuthInputs } from './run-auth';
import type { AuthSettings } from './settings';
import { STATE, WORK_FILES } from './state';
import { summaryTable } from './summary';

/** tbot's failure with the hint for its cause (teleport-behaviour.md §2.3, §4.2), else as it was. */
function explainFailure(err: TbotFailedError, ctx: FailureContext): UserError {
  const cause = tbotFailureCause(err.reason, ctx);
  if (!cause) return err;
  const named = ctx.token ? ` with token '${ctx.token}'` : '';
  const what = cause.atJoin ? `tbot could not join${named}` : 'tbot failed';
  const hint = cause.hint.charAt(0).toUpperCase() + cause.hint.slice(1);
  return new UserError(`${what}: ${err.reason}. ${hint}`);
}

function logJoined(platform: CiPlatform, who: IssuedIdentity): void {
  platform.log.info(
    `Joined as ${who.user} with roles ${who.roles.join(', ') || '(all)'}; credentials expire ${who.expires.toISOString()}`,
  );
}

/**
 * The part of a join that needs no tbot version and leaves nothing behind: the ID token's check
 * (its claims shown), and the YAML library's first document, which costs a few ms of compiling.
 */
async function prepareJoin(
  platform: CiPlatform,
  auth: AuthSettings,
): Promise<JoinPreflight | undefined> {
  const preflight = joinPreflight(platform, platform.joinMethod, auth.proxy);
  warmUpTbotConfig();
  return preflight;
}

/** Everything after the inputs: find tbot, check the ID token, join, write, publish. */
export async function joinAndWrite<S>({
  platform,
  action,
  auth,
  settings,
  background,
  oneShotTimeoutMs,
  tbotFound,
}: {
  platform: CiPlatform;
  action: AuthAction<S>;
  /** `detectTbot` already under way (see runCheckedAuth); else it runs here. */
  tbotFound?: Promise<TbotBinary>;
} & AuthInputs<S>): Promise<void> {
  if (action.leafRefused) {
    // tbot's detection may fail meanwhile: the refusal below is the error to show then.
    tbotFound?.catch(() => undefined);
    const { refuseLeafCluster } = await import('../actions/leaf-cluster');
    await refuseLeafCluster(platform, auth.proxy, action.leafRefused);
  }
  const found = tbotFound ?? detectTbot(platform.env, 'tbot', platform.setupHint);
  // What needs no tbot version is done while tbot answers (tens of ms for a real one).
  const [tbotAnswer, preflightAnswer] = await Promise.allSettled([
    found,
    prepareJoin(platform, auth),
  ]);
  // The errors in the order a user fixes them: tbot itself, its version, then the ID token.
  if (tbotAnswer.status === 'rejected') throw tbotAnswer.reason;
  const tbot = tbotAnswer.value;
  platform.log.info(`Using tbot ${tbot.version}${tbot.enterprise ? ' (Enterprise)' : ''}`);
  requireJoinMethod(tbot.version, platform.joinMethod, 'join-method');
  checkRegistrationSecretEnv(platform.env, tbot.version, platform.joinMethod);
  for (const { feature, input } of action.requires?.(settings) ?? []) {
    requireFeature(tbot.version, feature, input);
  }
  if (preflightAnswer.status === 'rejected') throw preflightAnswer.reason;
  const preflight = preflightAnswer.value;

  const dir = auth.out
    ? await useCredentialsDir(auth.out)
    : await makeCredentialsDir(platform.tempDir(), action.name);
  await platform.saveState(STATE.credentialsDir, dir);
  await platform.saveState(STATE.cleanup, String(auth.cleanup));
  const workDir = await mkdtemp(join(platform.tempDir(), `teleport-${action.name}-tbot-`));
  await platform.saveState(STATE.workDir, workDir);
  const ctx: AuthContext = { platform, auth, tbot, dir };

  if (auth.dataDir) await mkdir(auth.dataDir, { recursive: true, mode: 0o700 });
  const { outputs, services } = action.configure(ctx, settings);
  checkConfigured(tbot.version, auth.roles, [...outputs, ...(services ?? [])], action.name);
  const config: BotConfig = {
    proxyServer: auth.proxy.hostPort,
    joinMethod: platform.joinMethod,
    token: auth.token,
    caPins: auth.caPins,
    certificateTtl: auth.certificateTtl,
    oneshot: !background,
    ...(auth.dataDir ? { storage: { type: 'directory' as const, path: auth.dataDir } } : {}),
    diagAddr: background?.diagAddr,
    outputs,
    services,
  };
  const configPath = join(workDir, WORK_FILES.config);
  await writeFile(configPath, renderTbotConfig(config, tbot.version), { mode: 0o600 });
  platform.log.debug(`tbot configuration at ${configPath}`);
  const env = tbotEnv(platform.env, {
    TELEPORT_ANONYMOUS_TELEMETRY: auth.anonymousTelemetry ? '1' : '0',
    _TBOT_TELEMETRY_HELPER: platform.telemetryName(action.name),
    _TBOT_TELEMETRY_HELPER_VERSION: action.version,
  });

  const logPath = join(workDir, WORK_FILES.log);
  try {
    if (background) {
      await platform.saveState(STATE.tbotLog, logPath);
      await startTbotBackground({
        tbotPath: tbot.path,
        configPath,
        env,
        debug: platform.isDebug(),
        logPath,
        diagAddr: background.diagAddr,
        timeoutMs: background.timeoutMs,
        log: platform.log,
        onStart: (pid) => Promise.resolve(platform.saveState(STATE.tbotPid, String(pid))),
      });
    } else {
      try {
        await runTbotOnce({
          tbotPath: tbot.path,
          configPath,
          env,
          debug: platform.isDebug(),
          log: platform.log,
          timeoutMs: oneShotTimeoutMs,
        });
      } finally {
        // One run needs its configuration (which may hold a join secret) no longer.
        rmSync(workDir, { recursive: true, force: true });
      }
      checkOutputsWritten(outputs);
      lockDown(dir);
    }
  } catch (err) {
    if (err instanceof TbotFailedError) {
      // A `token` join's name is its secret: it is never shown (teleport-behaviour.md §4.2).
      const token = platform.joinMethod === 'token' ? undefined : auth.token;
      throw explainFailure(err, { token, proxy: auth.proxy.hostPort, preflight });
    }
    throw err;
  }

  const issued = readIssuedIdentity(join(dir, 'tlscert')).catch(() => undefined);
  const rows = await action.publish(ctx, settings);
  const who = await issued;
  platform.setOutput('destination-dir', dir);
  if (background) {
    // As the official actions: where tbot's diagnostics listen (`/readyz`, `/metrics`) and
    // where its log goes, for a later step that checks on the tunnel.
    platform.setOutput('diag-addr', background.diagAddr);
    platform.setOutput('log-path', logPath);
  }
  if (who) logJoined(platform, who);
  await platform.appendSummary(summaryTable(action.name, who, rows, action.troubleshooting?.(who)));
}

/** An auth action's whole main step in one call (the CLI's): read the inputs, join, write. */
export async function runAuth<S>(platform: CiPlatform, action: AuthAction<S>): Promise<void> {
  await joinAndWrite({ platform, action, ...readAuthInputs(platform, action) });
}
