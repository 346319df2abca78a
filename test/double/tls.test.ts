import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, run } from './test-helpers';
import { createTestCa, type TestCa } from './tls';

let dir: string;
let ca: TestCa;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'double-tls-'));
  ca = await createTestCa(dir);
  const cert = await ca.issueServerCert();
  server = createServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) =>
    res.end('hello\n'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

// A fresh node process, so NODE_EXTRA_CA_CERTS is read at start-up as in the code under test.
const nodeFetch = (url: string, env: NodeJS.ProcessEnv) =>
  run(
    process.execPath,
    ['-e', `fetch(${JSON.stringify(url)}).then(r => r.text()).then(t => process.stdout.write(t))`],
    { env },
  );

describe('createTestCa', () => {
  it('writes the CA to <dir>/ca.pem', () => {
    expect(ca.certPath).toBe(path.join(dir, 'ca.pem'));
    expect(ca.certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('is trusted by curl --cacert, by name and by IP', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const r = await curl(ca.certPath, '-f', `https://${host}:${port}/`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('hello\n');
    }
  });

  it('is trusted by node through NODE_EXTRA_CA_CERTS, and only through it', async () => {
    const url = `https://localhost:${port}/`;
    const trusted = await nodeFetch(url, { ...process.env, NODE_EXTRA_CA_CERTS: ca.certPath });
    expect(trusted).toMatchObject({ code: 0, stdout: 'hello\n' });
    const { NODE_EXTRA_CA_CERTS: _, ...without } = process.env;
    const untrusted = await nodeFetch(url, without);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/certificate/i);
  });

  it('issues certificates with the requested SANs and nothing else', async () => {
    const cert = await ca.issueServerCert(['proxy.example.test']);
    const other = createServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) =>
      res.end('ok'),
    );
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const p = (other.address() as AddressInfo).port;
    try {
      const good = await curl(
        ca.certPath,
        '-f',
        '--resolve',
        `proxy.example.test:${p}:127.0.0.1`,
        `https://proxy.example.test:${p}/`,
      );
      expect(good.stdout).toBe('ok');
      const bad = await curl(ca.certPath, '-f', `https://localhost:${p}/`);
      expect(bad.code).toBe(60); // curl: peer certificate cannot be authenticated
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
