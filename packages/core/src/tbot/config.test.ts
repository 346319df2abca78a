import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTbotConfig } from './config';

const base = {
  proxyServer: 'teleport.example.com:443',
  joinMethod: 'github' as const,
  token: 'github-bot',
  oneshot: true,
};
const identity = {
  type: 'identity' as const,
  destination: { type: 'directory' as const, path: '/tmp/c' },
};

describe('tbot config (teleport-behaviour.md §2)', () => {
  it('renders v2 with the official shape, outputs before v18 and services from v18', () => {
    const v17 = parse(renderTbotConfig({ ...base, outputs: [identity] }, '17.4.2'));
    expect(v17).toEqual({
      version: 'v2',
      proxy_server: 'teleport.example.com:443',
      onboarding: { join_method: 'github', token: 'github-bot' },
      storage: { type: 'memory' },
      oneshot: true,
      outputs: [identity],
    });
    const v18 = parse(renderTbotConfig({ ...base, outputs: [identity] }, '18.6.4'));
    expect(v18.outputs).toBeUndefined();
    expect(v18.services).toEqual([identity]);
  });
  it('emits certificate_ttl (known to every version), pins, roles only when given; never debug (teleport-behaviour.md §1.1)', () => {
    const text = renderTbotConfig(
      {
        ...base,
        certificateTtl: '30m',
        caPins: ['sha256:ab'],
        outputs: [{ ...identity, roles: ['ci'] }],
      },
      '16.5.4',
    );
    const cfg = parse(text);
    expect(cfg.certificate_ttl).toBe('30m');
    expect(cfg.credential_ttl).toBeUndefined();
    expect(cfg.onboarding.ca_pins).toEqual(['sha256:ab']);
    // `debug: true` only enables pprof; debug logs come from `--debug` (tbotStartArgs).
    expect(cfg).not.toHaveProperty('debug');
    expect(cfg.outputs[0].roles).toEqual(['ci']);
    expect(
      parse(renderTbotConfig({ ...base, outputs: [{ ...identity, roles: [] }] }, '16.5.4'))
        .outputs[0],
    ).not.toHaveProperty('roles');
  });
  it('quotes YAML 1.1 booleans so tbot reads strings (teleport-behaviour.md §8.5)', () => {
    const text = renderTbotConfig(
      { ...base, token: 'yes', outputs: [{ ...identity, ssh_config: 'off' }] },
      '17.4.2',
    );
    expect(text).toContain('ssh_config: "off"');
    expect(text).toContain('token: "yes"');
  });
  it('keeps tunnels as services on every version', () => {
    const tunnel = {
      type: 'database-tunnel' as const,
      listen: 'tcp://127.0.0.1:5432',
      service: 'db',
      database: 'd',
      username: 'u',
    };
    const cfg = parse(
      renderTbotConfig(
        { ...base, oneshot: false, diagAddr: '127.0.0.1:57263', outputs: [], services: [tunnel] },
        '17.4.2',
      ),
    );
    expect(cfg.services).toEqual([tunnel]);
    expect(cfg.diag_addr).toBe('127.0.0.1:57263');
    expect(cfg.oneshot).toBe(false);
  });
});

// A YAML 1.1 reader as tbot's go-yaml: PyYAML also takes U+0085, U+2028 and U+2029 as line
// breaks, so it sees a key a hostile value would inject.
const pyyaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;
if (!pyyaml) console.warn('skipped: the YAML 1.1 reading test needs python3 with PyYAML');

function readAsYaml11(text: string): unknown {
  const r = spawnSync(
    'python3',
    ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'],
    { input: text, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`PyYAML could not read it: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe.skipIf(!pyyaml)('tbot config read by a YAML 1.1 reader', () => {
  const hostile = (ch: string) => `github-bot${ch}insecure:${ch}  true`;
  const chars = ['\u2028', '\u2029', '\u0085', '\n', '\t', '\x1b', '\x7f', '\u00a0', '😀', '#'];
  it.each(chars.map((c) => [JSON.stringify(c), c]))(
    'every value holding %s stays that value',
    (_n, ch) => {
      const cfg = {
        ...base,
        token: hostile(ch),
        outputs: [
          {
            type: 'kubernetes' as const,
            kubernetes_cluster: hostile(ch),
            destination: { type: 'directory' as const, path: `/tmp/out${ch}- type: identity` },
          },
          {
            type: 'application' as const,
            app_name: hostile(ch),
            destination: { type: 'memory' as const },
          },
          {
            type: 'database' as const,
            service: 'db',
            username: hostile(ch),
            destination: { type: 'memory' as const },
          },
        ],
      };
      const text = renderTbotConfig(cfg, '17.4.2');
      expect(text).toMatch(/^[\x20-\x7e\n]*$/);
      const read = readAsYaml11(text) as Record<string, unknown>;
      expect(Object.keys(read).sort()).toEqual(
        ['onboarding', 'oneshot', 'outputs', 'proxy_server', 'storage', 'version'].sort(),
      );
      expect(read).toEqual(parse(text));
      expect(read).toMatchObject({
        onboarding: { token: hostile(ch) },
        outputs: [
          {
            kubernetes_cluster: hostile(ch),
            destination: { path: `/tmp/out${ch}- type: identity` },
          },
          { app_name: hostile(ch) },
          { username: hostile(ch) },
        ],
      });
      expect((read.outputs as unknown[]).length).toBe(3);
    },
  );
});
