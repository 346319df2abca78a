import { createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipeToTcp, proxyCommand } from './pipe';

let server: Server;
let port: number;

beforeAll(async () => {
  // Uppercases what it receives; answers "BYE" after the client half-closes.
  server = createServer({ allowHalfOpen: true }, (sock) => {
    sock.on('data', (d: Buffer) => sock.write(d.toString().toUpperCase()));
    sock.on('end', () => sock.end('BYE'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('pipeToTcp', () => {
  it('copies both ways and keeps reading after input ends (half-close)', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (d: Buffer) => chunks.push(d));
    const done = pipeToTcp('127.0.0.1', port, { input, output });
    input.write('hello ');
    input.end('world');
    await done;
    expect(Buffer.concat(chunks).toString()).toBe('HELLO WORLDBYE');
  });

  it('rejects when nothing listens', async () => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const addr = free.address();
    const closedPort = typeof addr === 'object' && addr ? addr.port : 0;
    await new Promise<void>((r) => free.close(() => r()));
    const input = new PassThrough();
    await expect(
      pipeToTcp('127.0.0.1', closedPort, { input, output: new PassThrough() }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('builds a quoted ProxyCommand that runs pipe.ts with tsx', () => {
    const cmd = proxyCommand('%h', 2222);
    expect(cmd).toMatch(
      /^'[^']*node[^']*' '--import' 'file:\/\/[^']*tsx[^']*' '[^']*\/pipe\.ts' %h 2222$/,
    );
  });
});
