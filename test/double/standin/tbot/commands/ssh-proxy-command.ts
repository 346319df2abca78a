// `tbot ssh-proxy-command` (the ssh_config ProxyCommand, teleport-behaviour.md §3): reads the identity from
// --destination-dir, opens a tunnel through the proxy (mutual TLS) to the node named by --host
// and pipes stdin/stdout through it until either side closes.
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import path from 'node:path';
import { TUNNEL_PATH } from '../../../auth/protocol';
import type { Parsed } from '../cli/parse';
import { TbotError } from '../errors';
import { openTunnel } from '../net/client';

export async function sshProxyCommand(p: Parsed): Promise<void> {
  const dir = String(p.flags['destination-dir'] ?? '');
  const proxy = String(p.flags['proxy-server'] ?? '');
  const host = String(p.flags.host ?? '');
  if (!dir) throw new TbotError('--destination-dir must be set');
  if (!proxy) throw new TbotError('--proxy-server must be set');
  if (!host) throw new TbotError('--host must be set');
  let keyPem: string;
  let certPem: string;
  try {
    [keyPem, certPem] = await Promise.all([
      readFile(path.join(dir, 'key'), 'utf8'),
      readFile(path.join(dir, 'tlscert'), 'utf8'),
    ]);
  } catch (err) {
    throw new TbotError(`loading identity from ${dir}: ${(err as Error).message}`);
  }
  const socket = await openTunnel(
    { addr: proxy, insecure: p.flags.insecure === true },
    {
      target: 'ssh',
      host,
      port: String(p.flags.port ?? '3022'),
      login: String(p.flags.user ?? ''),
      cluster: String(p.flags.cluster ?? ''),
    },
    { keyPem, certPem },
    TUNNEL_PATH,
  );
  await pipeStdio(socket);
}

/**
 * Pipes this process's stdin/stdout through a tunnel until it closes (a ProxyCommand's whole
 * job). Shared with the stand-in `tsh proxy ssh`.
 */
export function pipeStdio(socket: Socket): Promise<void> {
  return new Promise<void>((resolve) => {
    process.stdin.pipe(socket);
    socket.pipe(process.stdout, { end: false });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      process.stdin.unpipe(socket);
      process.stdin.pause();
      resolve();
    });
  });
}
