// A real OpenSSH sshd standing in for a Teleport-managed OpenSSH node ("agentless" node): it
// trusts the double's user CA (TrustedUserCAKeys) and presents a host certificate signed by the
// double's host CA (HostCertificate), which the client checks against tbot's @cert-authority
// known_hosts line (teleport-behaviour.md §3).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { type RootProcess, requireRoot, runAsRootOk, spawnAsRoot } from '../../privileged';
import type { SshCa } from './ca';
import { publicKeyWithoutComment } from './ca';
import { run, runOk } from './exec';
import { INSTALL_HINT, SSHD_PATH } from './preflight';

export interface StartSshdOptions {
  /** Directory for the config, host key, certificate, CA file and pid file (created if missing). */
  dir: string;
  userCa: SshCa;
  hostCa: SshCa;
  /** Principals of the host certificate, e.g. ['node-1.teleport.example.test', 'node-1', 'localhost']. */
  hostnames: string[];
  /** Fixed port; default: a free random port on 127.0.0.1. */
  port?: number;
  /** Host certificate lifetime; default 1 hour. */
  hostCertValidSeconds?: number;
  /**
   * More user CA keys sshd trusts (`<type> <base64>`): a leaf cluster's node also trusts the
   * root cluster's user CA, as Teleport nodes in a leaf do through the trust relationship.
   */
  extraUserCaKeys?: string[];
}

export interface Sshd {
  port: number;
  /**
   * A second port of the same sshd where every login is refused (`DenyUsers *`): the proxy
   * double sends there the sessions Teleport refuses inside the SSH handshake, so the real
   * client ends with `Permission denied (publickey)`, as it does against Teleport.
   */
  refusePort: number;
  host: '127.0.0.1';
  /** The host's own public key (`ssh-ed25519 AAAA...`), not the certificate. */
  hostKeyPublic: string;
  /** The host certificate line sshd presents. */
  hostCertificate: string;
  configPath: string;
  /** Stops sshd (SIGTERM, then SIGKILL after 5 s). Idempotent. */
  close(): Promise<void>;
  /** Everything sshd wrote to stderr so far (`-e`, LogLevel VERBOSE). */
  logs(): string;
}

/** The privilege separation directory compiled into Debian's sshd; it refuses to start without. */
const PRIVSEP_DIR = '/run/sshd';
/** Why sshd runs as root (named in the error when root is out of reach). */
const WHAT = 'starting sshd (it switches to the login user after a certificate login)';
const HOST = '127.0.0.1';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? res(port) : rej(new Error('no port assigned'))));
    });
  });
}

/** OpenSSH version from `ssh -V` (client and server come from the same source package). */
async function opensshVersion(): Promise<[number, number]> {
  const r = await run('ssh', ['-V']);
  const m = /OpenSSH_(\d+)\.(\d+)/.exec(r.stderr + r.stdout);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** The sshd_config the double runs; exported so docs and tests can show exactly what it is. */
export function sshdConfig(p: {
  port: number;
  hostKeyPath: string;
  hostCertPath: string;
  userCaPath: string;
  pidFile: string;
  perSourcePenalties: boolean;
  refusePort?: number;
}): string {
  return [
    `# sshd for the Teleport double (test/double/ssh/sshd.ts)`,
    `ListenAddress ${HOST}`,
    `Port ${p.port}`,
    ...(p.refusePort ? [`Port ${p.refusePort}`] : []),
    `HostKey ${p.hostKeyPath}`,
    `HostCertificate ${p.hostCertPath}`,
    `PidFile ${p.pidFile}`,
    // Certificates only: the user CA is trusted, and sshd's built-in rule applies (no
    // AuthorizedPrincipalsFile): the login name must be one of the certificate's principals,
    // like Teleport's logins. No authorized_keys, so a stray key on the machine cannot log in.
    `TrustedUserCAKeys ${p.userCaPath}`,
    'AuthorizedKeysFile none',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    // Without PAM, accounts with a `!` password field are locked: users.ts sets `*`.
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'Subsystem sftp internal-sftp', // scp uses SFTP since OpenSSH 9.0
    'LogLevel VERBOSE', // logs the certificate ID/serial on login and why a cert was refused
    // OpenSSH >= 9.8 penalises sources that fail auth; tests refuse certs from 127.0.0.1 on
    // purpose, which would then block the next (valid) login.
    ...(p.perSourcePenalties ? ['PerSourcePenalties no'] : []),
    // Match blocks last: everything after one belongs to it.
    ...(p.refusePort ? [`Match LocalPort ${p.refusePort}`, '    DenyUsers *'] : []),
    '',
  ].join('\n');
}

function waitForBanner(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const attempt = (): Promise<void> =>
    new Promise((res, rej) => {
      const sock = connect({ host: HOST, port });
      let buf = '';
      sock.setTimeout(2000);
      sock.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        if (buf.includes('\n')) {
          sock.destroy();
          if (buf.startsWith('SSH-2.0-')) res();
          else rej(new Error(`unexpected banner on port ${port}: ${JSON.stringify(buf)}`));
        }
      });
      sock.on('timeout', () => sock.destroy(new Error('timeout waiting for SSH banner')));
      sock.on('error', rej);
      sock.on('close', () => rej(new Error('closed before banner')));
    });
  const loop = async (): Promise<void> => {
    for (;;) {
      try {
        return await attempt();
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  return loop();
}

interface Running {
  sshd: RootProcess;
  logs: string[];
}

/** Spawns sshd and resolves once it logged "Server listening"; rejects with its logs if it exits. */
function spawnSshd(configPath: string, port: number, timeoutMs: number): Promise<Running> {
  return new Promise((res, rej) => {
    // sshd must be started by absolute path (it re-executes itself per connection).
    const sshd = spawnAsRoot(WHAT, SSHD_PATH, ['-D', '-e', '-f', configPath]);
    const { child } = sshd;
    const logs: string[] = [];
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void sshd.kill('SIGKILL');
      rej(e);
    };
    const timer = setTimeout(
      () => fail(new Error(`sshd did not start within ${timeoutMs} ms:\n${logs.join('')}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (d: Buffer) => {
      logs.push(d.toString('utf8'));
      if (!settled && logs.join('').includes(`Server listening on ${HOST} port ${port}`)) {
        settled = true;
        clearTimeout(timer);
        res({ sshd, logs });
      }
    });
    child.on('error', (e) =>
      fail(new Error(`cannot run ${SSHD_PATH} (${e.message}); ${INSTALL_HINT}`)),
    );
    child.on('exit', (code, signal) =>
      fail(new Error(`sshd exited (${code ?? signal}) while starting:\n${logs.join('')}`)),
    );
  });
}

/**
 * Starts `/usr/sbin/sshd -D -e -f <dir>/sshd_config` on 127.0.0.1 (random free port unless
 * `port` is given) with its own ed25519 host key signed by `hostCa`, trusting `userCa` for user
 * certificates. Resolves once sshd answers with an SSH banner. sshd runs as root
 * (test/privileged.ts: directly, or through passwordless sudo); its files stay the caller's.
 */
export async function startSshd(opts: StartSshdOptions): Promise<Sshd> {
  if (opts.hostnames.length === 0) throw new Error('hostnames must not be empty');
  const dir = resolve(opts.dir);
  requireRoot(WHAT); // before any work: the one-line error, not a failed spawn
  await mkdir(dir, { recursive: true });
  if (!existsSync(PRIVSEP_DIR)) {
    await runAsRootOk(WHAT, 'mkdir', ['-p', '-m', '0755', PRIVSEP_DIR]);
  }

  const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
  const hostCertPath = `${hostKeyPath}-cert.pub`;
  const userCaPath = join(dir, 'teleport_user_ca.pub');
  const pidFile = join(dir, 'sshd.pid');
  const configPath = join(dir, 'sshd_config');

  // A fresh host key per start (ssh-keygen will not overwrite files without asking).
  await rm(hostKeyPath, { force: true });
  await rm(`${hostKeyPath}.pub`, { force: true });
  await runOk('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'sshd@teleport-double',
    '-f',
    hostKeyPath,
  ]);
  const hostKeyPublic = publicKeyWithoutComment(await readFile(`${hostKeyPath}.pub`, 'utf8'));
  const hostCertificate = await opts.hostCa.signHostKey(hostKeyPublic, {
    keyId: `host:${opts.hostnames[0]}`,
    principals: opts.hostnames,
    validSeconds: opts.hostCertValidSeconds ?? 3600,
  });
  await writeFile(hostCertPath, `${hostCertificate}\n`);
  await writeFile(
    userCaPath,
    [opts.userCa.publicKey, ...(opts.extraUserCaKeys ?? [])].map((k) => `${k}\n`).join(''),
  );

  const [major, minor] = await opensshVersion();
  const perSourcePenalties = major > 9 || (major === 9 && minor >= 8);

  let running: Running | undefined;
  let port = 0;
  let refusePort = 0;
  for (let attempt = 0; !running; attempt++) {
    port = opts.port ?? (await freePort());
    do refusePort = await freePort();
    while (refusePort === port);
    await writeFile(
      configPath,
      sshdConfig({
        port,
        hostKeyPath,
        hostCertPath,
        userCaPath,
        pidFile,
        perSourcePenalties,
        refusePort,
      }),
    );
    try {
      running = await spawnSshd(configPath, port, 15_000);
    } catch (e) {
      // Another process may take the random port between freePort() and sshd's bind.
      const raced = /Address already in use|Cannot bind any address/.test(String(e));
      if (opts.port !== undefined || !raced || attempt >= 4) throw e;
    }
  }
  const { sshd, logs } = running;
  const { child } = sshd;
  const killOnExit = () => sshd.killSync('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.removeListener('exit', killOnExit);
      await sshd.kill('SIGTERM');
      const timer = setTimeout(() => void sshd.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    })();
    return closing;
  };

  try {
    await waitForBanner(port, 10_000);
  } catch (e) {
    await close();
    throw new Error(`sshd on port ${port} does not answer: ${String(e)}\n${logs.join('')}`);
  }

  return {
    port,
    refusePort,
    host: HOST,
    hostKeyPublic,
    hostCertificate,
    configPath,
    close,
    logs: () => logs.join(''),
  };
}
