// Runs the real OpenSSH client the way a CI job would with tbot's files (teleport-behaviour.md §3: `key`,
// `key-cert.pub` beside it, `known_hosts` with the @cert-authority line), isolated from the
// machine's own ssh configuration.
import { type RunResult, run } from './exec';

export interface SshRunOptions {
  /** Private key path (`-i`); ssh also loads `<key>-cert.pub` next to it, like tbot's layout. */
  identityFile: string;
  /** Explicit certificate; default: `<identityFile>-cert.pub` found by ssh itself. */
  certificateFile?: string;
  /** File holding the @cert-authority line(s). */
  knownHostsFile: string;
  user: string;
  /** Name ssh connects to and checks in known_hosts / the host certificate. */
  host: string;
  port: number;
  /** Real address to connect to (`-o HostName=`) while `host` stays the checked name. */
  hostName?: string;
  /** Name checked against known_hosts and the host certificate instead of `host`. */
  hostKeyAlias?: string;
  proxyCommand?: string;
  /** Remote command (one string, run by the login shell). */
  command: string;
  extraOptions?: string[];
  timeoutMs?: number;
}

/** The argument list (exported so other stand-ins can reuse or print it). */
export function sshArgs(o: SshRunOptions): string[] {
  const opt = (kv: string) => ['-o', kv];
  return [
    '-F',
    '/dev/null',
    ...opt('BatchMode=yes'),
    ...opt('IdentitiesOnly=yes'),
    ...opt('IdentityAgent=none'),
    '-i',
    o.identityFile,
    ...(o.certificateFile ? opt(`CertificateFile=${o.certificateFile}`) : []),
    ...opt(`UserKnownHostsFile=${o.knownHostsFile}`),
    ...opt('GlobalKnownHostsFile=/dev/null'),
    ...opt('StrictHostKeyChecking=yes'),
    ...opt('UpdateHostKeys=no'),
    ...opt('PasswordAuthentication=no'),
    ...opt('KbdInteractiveAuthentication=no'),
    ...opt('ConnectTimeout=10'),
    ...(o.hostName ? opt(`HostName=${o.hostName}`) : []),
    ...(o.hostKeyAlias ? opt(`HostKeyAlias=${o.hostKeyAlias}`) : []),
    ...(o.proxyCommand ? opt(`ProxyCommand=${o.proxyCommand}`) : []),
    ...(o.extraOptions ?? []).flatMap(opt),
    '-p',
    String(o.port),
    '-l',
    o.user,
    o.host,
    '--',
    o.command,
  ];
}

export function runSsh(o: SshRunOptions): Promise<RunResult> {
  return run('ssh', sshArgs(o), { timeoutMs: o.timeoutMs ?? 30_000 });
}
