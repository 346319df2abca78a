// `tbot start` (teleport-behaviour.md §1.2, §1.3, §8.2): read and validate the config, preRunChecks, join, then
// generate every output once. With `oneshot` it exits 0 (services that cannot run once are
// skipped, teleport-behaviour.md §2.5). Otherwise it keeps running: diagnostics on diag_addr (teleport-behaviour.md §5.4),
// tunnels, renewal every renewal_interval and on SIGHUP/SIGUSR1, exit on SIGINT/SIGTERM
// (teleport-behaviour.md §1.6).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { BuildInfo, Features } from '../build';
import type { Parsed } from '../cli/parse';
import { configFromCli } from '../config/from-cli';
import { IMPLEMENTED_TYPES, NOT_ONESHOT, type ServiceConfig } from '../config/types';
import { preRunChecks } from '../config/validate';
import { TbotError, wrap } from '../errors';
import { faultAtStart, tbotFault } from '../faults';
import { BotIdentityService } from '../join/bot-identity';
import { log, setDebug } from '../log';
import { type Endpoint, requestJson } from '../net/client';
import { writerFor } from '../outputs/destination';
import { type OutputContext, runOutput, serviceName } from '../outputs/run';
import type { ProxyInfo } from '../outputs/templates';
import { AppProxyService } from '../services/app-proxy';
import { startDiag } from '../services/diag';
import { StatusRegistry } from '../services/status';
import { TunnelService } from '../services/tunnel';

interface FindResponse {
  cluster_name: string;
  proxy?: { tls_routing_enabled?: boolean };
}

/** The proxy ping tbot makes for outputs and ssh_config (teleport-behaviour.md §5.3, `/webapi/find`). */
async function ping(ep: Endpoint): Promise<ProxyInfo> {
  const find = await requestJson<FindResponse>(ep, 'GET', '/webapi/find');
  const host = ep.addr
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '');
  return {
    addr: ep.addr.replace(/^[a-z]+:\/\//i, ''),
    host,
    clusterName: find.cluster_name,
    tlsRouting: find.proxy?.tls_routing_enabled ?? true,
  };
}

const LOCK_MESSAGE =
  'Failed to acquire exclusive lock for tbot destination directory - is tbot already running?';

/** The storage lock (teleport-behaviour.md §2.3): a pid file here, where real tbot uses flock. */
function lockStorage(dir: string | undefined): void {
  if (!dir) return;
  const file = path.join(dir, 'lock');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        throw new TbotError(LOCK_MESSAGE);
      } catch (err) {
        if (err instanceof TbotError) throw err;
        // The holder is gone: the lock is free again (flock would be released too).
      }
    }
  }
  writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
}

export async function startCommand(p: Parsed, build: BuildInfo, f: Features): Promise<void> {
  const cfg = await configFromCli(p, f);
  // Debug logs come from -d/--debug/TBOT_DEBUG only: the logger is set up before the config is
  // read, and the config's `debug: true` only enables pprof (teleport-behaviour.md §1.1).
  if (p.flags.debug === true) setDebug(true);
  log.debug('TBOT', 'Loaded bot configuration', {
    join_method: cfg.onboarding.join_method,
    oneshot: cfg.oneshot,
    services: cfg.services.length,
  });
  await faultAtStart();
  const address = preRunChecks(cfg, build, f);
  const ep: Endpoint = { addr: address.addr, insecure: cfg.insecure };
  const storage = writerFor(cfg.storage ?? { type: 'memory' });
  if (cfg.storage?.type === 'memory') {
    log.warn('TBOT', 'Using non-persistent memory storage. Bot identity will be lost on restart.');
  }

  const services = cfg.services.map((s, i) => ({ s, name: serviceName(s, i) }));
  for (const { s } of services) {
    if (!IMPLEMENTED_TYPES.has(s.type)) {
      throw new TbotError(
        `the "${s.type}" service is not implemented by this Teleport double stand-in`,
      );
    }
  }

  await storage.init();
  lockStorage(storage.dir);
  const identity = new BotIdentityService(cfg, build, f, ep, storage);
  let bot = await identity.init();
  const proxy = await ping(ep);
  const ctx: OutputContext = {
    cfg,
    f,
    ep,
    proxy,
    tbotPath: path.resolve(process.argv[1] ?? 'tbot'),
  };
  const outputs = services.filter(({ s }) => !NOT_ONESHOT.has(s.type));

  if (cfg.oneshot) {
    if (tbotFault() === 'exit-0-no-output') {
      log.info('TBOT', 'Oneshot mode enabled, exiting after one renewal');
      return;
    }
    for (const { s, name } of services) {
      if (NOT_ONESHOT.has(s.type)) {
        log.debug('TBOT', 'Service does not support oneshot mode, ignoring', { service: name });
        continue;
      }
      try {
        await runOutput(ctx, bot, s, name);
      } catch (err) {
        throw wrap(err, `running service "${name}"`);
      }
    }
    log.info('TBOT', 'Oneshot mode enabled, exiting after one renewal');
    return;
  }

  // Background mode.
  const status = new StatusRegistry();
  status.register('identity');
  status.report('identity', 'healthy');
  for (const { name } of services) status.register(name);
  let diag: Server | undefined;
  if (cfg.diag_addr) {
    diag = await startDiag(cfg.diag_addr, status, f);
    log.info('TBOT:DIAG', 'Diagnostics service started', { addr: cfg.diag_addr });
  }
  const tunnels: Array<TunnelService | AppProxyService> = [];

  const renewOutputs = async () => {
    for (const { s, name } of outputs) {
      try {
        await runOutput(ctx, bot, s, name);
        status.report(name, 'healthy');
      } catch (err) {
        const message = wrap(err, `running service "${name}"`).render();
        log.warn('TBOT', 'Output failed', { service: name, error: message });
        status.report(name, 'unhealthy', (err as Error).message);
      }
    }
    for (const t of tunnels) {
      await t.refresh(bot).catch((err: Error) => status.report(t.name, 'unhealthy', err.message));
    }
  };

  await renewOutputs();
  for (const { s, name } of services) {
    const kinds = ['database-tunnel', 'application-tunnel', 'application-proxy'];
    if (!kinds.includes(s.type)) continue;
    const t =
      s.type === 'application-proxy'
        ? new AppProxyService(ctx, s as ServiceConfig, name, status)
        : new TunnelService(ctx, s as ServiceConfig, name, status);
    try {
      await t.start(bot);
      tunnels.push(t);
    } catch (err) {
      log.warn('TBOT', 'Service failed to start', { service: name, error: (err as Error).message });
      status.report(name, 'unhealthy', (err as Error).message);
    }
  }

  let renewing: Promise<void> | undefined;
  const renew = (why: string) => {
    renewing ??= (async () => {
      log.info('TBOT', 'Renewing credentials', { reason: why });
      try {
        bot = await identity.renew();
        status.report('identity', 'healthy');
        await renewOutputs();
      } catch (err) {
        const message = (err as Error).message;
        log.warn('TBOT', 'Renewal failed', { error: message });
        status.report('identity', 'unhealthy', message);
      }
    })().finally(() => {
      renewing = undefined;
    });
  };
  const interval = Math.max(1000, Math.round((cfg.renewal_interval ?? 20 * 60e9) / 1e6));
  const timer = setInterval(() => renew('interval'), interval);

  await new Promise<void>((resolve) => {
    process.on('SIGHUP', () => renew('SIGHUP'));
    process.on('SIGUSR1', () => renew('SIGUSR1'));
    const stop = (signal: string) => {
      log.info('TBOT', 'Received signal, shutting down', { signal });
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  clearInterval(timer);
  await renewing; // let a renewal in progress finish writing its files
  await Promise.all(tunnels.map((t) => t.stop()));
  if (diag) {
    diag.closeAllConnections();
    await new Promise<void>((resolve) => diag?.close(() => resolve()));
  }
}
