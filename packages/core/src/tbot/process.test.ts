import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  startTbotBackground,
  stopTbot,
  tbotEnv,
  tbotFailureReason,
  unhealthyReason,
} from './process';

describe('running tbot', () => {
  it('shows tbot ERROR line first (teleport-behaviour.md §1.6)', () => {
    const out =
      'INFO starting\n\x1b[31mERROR: \x1b[0mjoining with token: audience mismatch\nusage...\n';
    expect(tbotFailureReason(out)).toBe('joining with token: audience mismatch');
    expect(tbotFailureReason('just this\n')).toBe('just this');
    // trace wraps causes on the following, indented lines (outer first)
    const wrapped =
      'ERROR: joining with token\n\tid token claims did not match any allow rules\nusage: tbot\n';
    expect(tbotFailureReason(wrapped)).toBe(
      'joining with token: id token claims did not match any allow rules',
    );
  });
  it('removes variables tbot would take over the config', () => {
    const env = tbotEnv(
      { TELEPORT_PROXY: 'a', TELEPORT_AUTH_SERVER: 'b', PATH: '/bin' },
      { X: '1' },
    );
    expect(env).toEqual({ PATH: '/bin', X: '1' });
  });
  it('says which service is unhealthy (teleport-behaviour.md §5.4)', () => {
    const body = JSON.stringify({
      status: 'unhealthy',
      services: {
        'db-tunnel': { status: 'unhealthy', reason: 'connection refused' },
        ok: { status: 'healthy' },
      },
    });
    expect(unhealthyReason(body)).toBe('db-tunnel: connection refused');
  });
});

// A stand-in for a background tbot's diagnostics (teleport-behaviour.md §5.4): `/wait` would answer after the
// first report even when unhealthy, so the engine polls `/readyz` until healthy or its timeout.
describe('background tbot readiness', () => {
  async function fakeTbot(dir: string, unhealthyAnswers: number): Promise<string> {
    const script = join(dir, 'tbot');
    await writeFile(
      script,
      `#!${process.execPath}
const { createServer } = require('node:http');
const { writeFileSync, readFileSync } = require('node:fs');
writeFileSync(${JSON.stringify(join(dir, 'argv'))}, JSON.stringify(process.argv.slice(2)));
const addr = /diag_addr: (\\S+)/.exec(readFileSync(process.argv[4], 'utf8'))[1];
let asked = 0;
createServer((req, res) => {
  if (req.url !== '/readyz') { res.writeHead(404); return res.end(); }
  const healthy = ++asked > ${unhealthyAnswers};
  res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify(healthy
    ? { status: 'healthy', services: { tunnel: { status: 'healthy' } } }
    : { status: 'unhealthy', services: { tunnel: { status: 'unhealthy', reason: 'app not reachable yet' } } }));
}).listen(Number(addr.split(':')[1]), '127.0.0.1');
`,
    );
    await chmod(script, 0o755);
    return script;
  }

  async function start(unhealthyAnswers: number, timeoutMs: number) {
    const dir = await mkdtemp(join(tmpdir(), 'readiness-'));
    const port = 40000 + Math.floor(Math.random() * 20000);
    const configPath = join(dir, 'tbot.yaml');
    await writeFile(configPath, `diag_addr: 127.0.0.1:${port}\n`);
    const log = { debug: () => {}, info: () => {}, warning: () => {}, error: () => {} };
    const run = startTbotBackground({
      tbotPath: await fakeTbot(dir, unhealthyAnswers),
      configPath,
      env: process.env,
      debug: true,
      logPath: join(dir, 'log'),
      diagAddr: `127.0.0.1:${port}`,
      timeoutMs,
      log,
    });
    return { dir, run };
  }

  it('keeps polling /readyz past unhealthy answers until healthy, with --debug', async () => {
    const { dir, run } = await start(3, 15_000);
    const tbot = await run;
    try {
      expect(JSON.parse(await readFile(join(dir, 'argv'), 'utf8'))).toEqual([
        'start',
        '-c',
        join(dir, 'tbot.yaml'),
        '--debug',
      ]);
    } finally {
      await stopTbot(tbot);
    }
  });

  it('stops tbot at the timeout and names the service still unhealthy', async () => {
    const { run } = await start(1_000_000, 1500);
    await expect(run).rejects.toThrow(
      "tbot started but was not healthy within 1.5s: tunnel: app not reachable yet (raise 'timeout-ms' if it needs longer)",
    );
  });
});
