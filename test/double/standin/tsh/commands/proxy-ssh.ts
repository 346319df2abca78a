// `tsh proxy ssh [user@]host[:port]`: the ProxyCommand tsh puts in OpenSSH configs (teleport-behaviour.md §3,
// "tsh flavour": `ProxyCommand "<tsh>" proxy ssh --cluster=<c> --proxy=<host:port> %r@%h:%p`).
// Opens the double's SSH tunnel with the identity's TLS certificate (the same protocol as the
// stand-in tbot's `ssh-proxy-command`) and pipes stdin/stdout through it.
import { TUNNEL_PATH } from '../../../auth/protocol';
import { pipeStdio } from '../../tbot/commands/ssh-proxy-command';
import { UsageError } from '../../tbot/errors';
import { openTunnel } from '../../tbot/net/client';
import type { TshArgs } from '../cli';
import { openSession } from '../session';

/** `[user@]host[:port]`. */
export function parseTarget(target: string): { user: string; host: string; port: string } {
  const at = target.lastIndexOf('@');
  const user = at >= 0 ? target.slice(0, at) : '';
  let hostPort = at >= 0 ? target.slice(at + 1) : target;
  let port = '';
  const m = /^(.*):(\d+)$/.exec(hostPort);
  if (m && !hostPort.startsWith('[')) {
    hostPort = m[1] ?? '';
    port = m[2] ?? '';
  }
  return { user, host: hostPort.replace(/^\[|\]$/g, ''), port };
}

export async function proxySshCommand(p: TshArgs): Promise<void> {
  const target = p.args[0];
  if (!target) throw new UsageError("required argument '[user@]host' not provided");
  const { user, host, port } = parseTarget(target);
  const s = await openSession(p);
  const socket = await openTunnel(
    s.ep,
    { target: 'ssh', host, port: port || '0', login: user, cluster: s.cluster },
    s.cert,
    TUNNEL_PATH,
  );
  await pipeStdio(socket);
}
