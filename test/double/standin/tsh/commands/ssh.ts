// `tsh ssh [user@]host [command...]` with an identity file, run through the REAL OpenSSH client:
// the identity's key and SSH certificate go to a private temporary directory, its
// `@cert-authority` lines become a known_hosts file (teleport-behaviour.md §3 form), and the ProxyCommand is
// this tsh's own `proxy ssh` (the tsh flavour of teleport-behaviour.md §3), which opens the double's tunnel with
// the identity's TLS certificate. `ssh -F /dev/null` with StrictHostKeyChecking yes: the node
// is trusted only through the host CA. The exit code is ssh's (the remote command's).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import {
  MFA_REQUIRED_PATH,
  type MfaRequiredRequest,
  type MfaRequiredResponse,
} from '../../../auth/protocol';
import { TbotError, UsageError } from '../../tbot/errors';
import { requestJson } from '../../tbot/net/client';
import { str, type TshArgs } from '../cli';
import { knownHostsFrom } from '../identity';
import { openSession } from '../session';
import { parseTarget } from './proxy-ssh';

/** A value for an ssh `-o` option run by a shell: single-quoted, `%` doubled (ssh tokens). */
function q(value: string): string {
  return `'${value.replace(/'/g, `'\\''`).replace(/%/g, '%%')}'`;
}

export interface SshPlan {
  args: string[];
  files: Record<string, string>;
}

/** The ssh command line and the files it needs in `dir` (exported for tests). */
export function sshPlan(o: {
  dir: string;
  tshPath: string;
  identityPath: string;
  proxy: string;
  proxyHost: string;
  insecure: boolean;
  cluster: string;
  login: string;
  host: string;
  /** The port given (`-p` or `host:port`), empty when none. */
  port: string;
  tty: boolean;
  command: string[];
  privateKey: string;
  sshCert: string;
  knownHosts: string;
}): SshPlan {
  // Nodes are `<name>.<cluster>` in the host CA's principals and known_hosts patterns.
  const fqdn =
    o.cluster && !o.host.endsWith(`.${o.cluster}`) && o.host !== o.cluster
      ? `${o.host}.${o.cluster}`
      : o.host;
  const proxyCommand = [
    q(o.tshPath),
    `--identity=${q(o.identityPath)}`,
    `--proxy=${q(o.proxy)}`,
    ...(o.insecure ? ['--insecure'] : []),
    'proxy',
    'ssh',
    ...(o.cluster ? [`--cluster=${q(o.cluster)}`] : []),
    // No port given: tsh asks for port 0, which the proxy matches with any node of that name
    // (teleport-behaviour.md §3.3); OpenSSH itself needs a real port for `-p`.
    o.port ? '%r@%h:%p' : '%r@%h:0',
  ].join(' ');
  const key = path.join(o.dir, 'key');
  const opt = (kv: string) => ['-o', kv];
  const args = [
    '-F',
    '/dev/null',
    ...opt('BatchMode=yes'),
    ...opt('IdentitiesOnly=yes'),
    ...opt('IdentityAgent=none'),
    '-i',
    key,
    ...opt(`CertificateFile=${path.join(o.dir, 'key-cert.pub')}`),
    ...opt(`UserKnownHostsFile=${path.join(o.dir, 'known_hosts')}`),
    ...opt('GlobalKnownHostsFile=/dev/null'),
    ...opt('StrictHostKeyChecking=yes'),
    ...opt('UpdateHostKeys=no'),
    ...opt('PasswordAuthentication=no'),
    ...opt('KbdInteractiveAuthentication=no'),
    ...opt('LogLevel=ERROR'),
    ...opt(`ProxyCommand=${proxyCommand}`),
    ...(o.tty ? ['-t'] : []),
    '-p',
    o.port || '3022',
    '-l',
    o.login,
    fqdn,
    // tsh joins the command words with spaces and the node's shell runs the line.
    ...(o.command.length > 0 ? ['--', o.command.join(' ')] : []),
  ];
  return {
    args,
    files: { key: o.privateKey, 'key-cert.pub': o.sshCert, known_hosts: o.knownHosts },
  };
}

export async function sshCommand(p: TshArgs): Promise<number> {
  const [target, ...command] = p.args;
  if (!target) throw new UsageError("required argument '[user@]host' not provided");
  const t = parseTarget(target);
  const s = await openSession(p);
  const login = t.user || str(p, 'login') || userInfo().username;
  // tsh asks IsMFARequired before it dials; a bot has no MFA device to answer the challenge
  // with, so it stops at lib/auth/authclient ErrNoMFADevices.
  const mfaQuery: MfaRequiredRequest = { cluster: s.cluster, host: t.host, login };
  const mfa = await requestJson<MfaRequiredResponse>(
    s.ep,
    'POST',
    MFA_REQUIRED_PATH,
    mfaQuery,
    s.cert,
  );
  if (mfa.required) {
    throw new TbotError(
      "MFA is required to access this resource but user has no MFA devices; use 'tsh mfa add' to register MFA devices",
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'tsh-ssh-')); // 0700
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const plan = sshPlan({
      dir,
      tshPath: path.resolve(process.argv[1] ?? 'tsh'),
      identityPath: path.resolve(s.id.path),
      proxy: s.ep.addr,
      proxyHost: s.proxyHost,
      insecure: s.ep.insecure === true,
      cluster: s.cluster,
      login,
      host: t.host,
      port: str(p, 'port') || t.port,
      tty: p.flags.tty === true,
      command,
      privateKey: s.id.privateKey,
      sshCert: s.id.sshCert,
      knownHosts: knownHostsFrom(s.id, s.proxyHost),
    });
    for (const [name, data] of Object.entries(plan.files)) {
      await writeFile(path.join(dir, name), data.endsWith('\n') ? data : `${data}\n`, {
        mode: 0o600,
      });
    }
    // Real tsh speaks SSH itself: a handshake the node refuses ends in its own words
    // (lib/client/client.go), not OpenSSH's `Permission denied (publickey).`
    const refused = `ERROR: access denied to ${login} connecting to ${t.host}:${str(p, 'port') || t.port || '0'}\n`;
    return await new Promise<number>((resolve, reject) => {
      const child = spawn('ssh', plan.args, { stdio: ['inherit', 'inherit', 'pipe'] });
      let denied = false;
      let pending = '';
      child.stderr?.on('data', (d: Buffer) => {
        pending += d.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (/Permission denied \(/.test(line)) denied = true;
          else process.stderr.write(`${line}\n`);
        }
      });
      child.on('error', (err: NodeJS.ErrnoException) =>
        reject(
          new TbotError(
            err.code === 'ENOENT'
              ? 'exec: "ssh": executable file not found in $PATH'
              : `running ssh: ${err.message}`,
          ),
        ),
      );
      child.on('close', (code, signal) => {
        if (pending) {
          if (/Permission denied \(/.test(pending)) denied = true;
          else process.stderr.write(pending);
        }
        if (denied && code === 255) {
          process.stderr.write(refused);
          resolve(1);
          return;
        }
        resolve(code ?? (signal ? 255 : 1));
      });
    });
  } finally {
    await cleanup();
  }
}
