// The files tbot writes (teleport-behaviour.md §3): identity artifacts, the `identity` file, the TLS CA files,
// known_hosts and ssh_config (modern v16+ form, legacy v16 form, v18 per-cluster files), and
// the format-specific extras of application and database outputs.
import type { CertAuthorities } from '../../../auth/protocol';
import type { KeyPair } from '../keys';

export interface Certs {
  key: KeyPair;
  sshCert: string;
  tlsCert: string;
  cas: CertAuthorities;
}

export interface ProxyInfo {
  /** `host:port` tbot was given (and ssh-proxy-command dials). */
  addr: string;
  /** Proxy host without the port. */
  host: string;
  clusterName: string;
  tlsRouting: boolean;
}

const nl = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);

/** key, key.pub, key-cert.pub, tlscert (teleport-behaviour.md §3, "always"). */
export function artifactFiles(c: Certs): Record<string, string> {
  return {
    key: nl(c.key.privateKeyPem),
    'key.pub': nl(c.key.sshPublicKey),
    'key-cert.pub': nl(c.sshCert),
    tlscert: nl(c.tlsCert),
  };
}

/** `@cert-authority <cluster>,*.<cluster> <key> type=host` (identity file form). */
function identityCaLine(cluster: string, key: string): string {
  return `@cert-authority ${cluster},*.${cluster} ${key} type=host`;
}

/**
 * The identity file (api/identityfile encodeIdentityFile): private key PEM, SSH certificate,
 * TLS certificate PEM, SSH host CA lines, TLS CA PEMs (the host CA), each ending in a newline.
 */
export function identityFile(c: Certs): string {
  const byCluster = hostCas(c);
  return [
    nl(c.key.privateKeyPem),
    nl(c.sshCert),
    nl(c.tlsCert),
    ...byCluster.flatMap((ca) => ca.ssh_host.map((k) => nl(identityCaLine(ca.cluster_name, k)))),
    ...byCluster.map((ca) => nl(ca.tls_host)),
  ].join('');
}

/**
 * The host CAs GetCertAuthorities(HostCA) returns: the cluster's own and the trusted leaf
 * clusters', in the backend's order, by cluster name (a real v13.3.8 identity file lists a
 * leaf named `leaf.test` before its root `root.test`).
 */
function hostCas(c: Certs): Array<{ cluster_name: string; ssh_host: string[]; tls_host: string }> {
  const own = {
    cluster_name: c.cas.cluster_name,
    ssh_host: c.cas.ssh_host,
    tls_host: c.cas.tls_host,
  };
  return [own, ...(c.cas.remote ?? [])].sort((a, b) =>
    a.cluster_name < b.cluster_name ? -1 : a.cluster_name > b.cluster_name ? 1 : 0,
  );
}

export function caFiles(c: Certs, which: Array<'host' | 'user' | 'db'> = ['host', 'user', 'db']) {
  const files: Record<string, string> = {};
  if (which.includes('host')) {
    files['teleport-host-ca.crt'] = hostCas(c)
      .map((ca) => nl(ca.tls_host))
      .join('');
  }
  if (which.includes('user')) files['teleport-user-ca.crt'] = nl(c.cas.tls_user);
  if (which.includes('db')) files['teleport-database-ca.crt'] = nl(c.cas.tls_db);
  return files;
}

/**
 * known_hosts (lib/tbot/ssh GenerateKnownHosts): one line per host CA key of each cluster in
 * `clusters` (the root, then the leaf clusters the output's roles may see).
 */
export function knownHosts(c: Certs, proxy: ProxyInfo, clusters = [c.cas.cluster_name]): string {
  return clusters.map((cluster) => clusterKnownHosts(c, proxy, cluster)).join('');
}

/** The known_hosts lines of one cluster (v18's `<cluster>.known_hosts`). */
export function clusterKnownHosts(c: Certs, proxy: ProxyInfo, cluster: string): string {
  const keys =
    cluster === c.cas.cluster_name
      ? c.cas.ssh_host
      : (c.cas.remote?.find((r) => r.cluster_name === cluster)?.ssh_host ?? []);
  return keys
    .map((k) => `@cert-authority ${proxy.host},${cluster},*.${cluster} ${k} type=host\n`)
    .join('');
}

/** ssh_config values are single-quoted, `%` doubled inside them (teleport-behaviour.md §3). */
function q(value: string): string {
  return `'${value.replace(/'/g, `'\\''`).replace(/%/g, '%%')}'`;
}

export interface SshConfigOptions {
  tbotPath: string;
  dir: string;
  proxy: ProxyInfo;
  legacy?: boolean;
}

function proxyCommand(o: SshConfigOptions, cluster: string): string {
  if (o.legacy) {
    return `"${o.tbotPath}" proxy --destination-dir=${o.dir} --proxy-server=${o.proxy.addr} ssh --cluster=${cluster}  %r@%h:%p`;
  }
  return [
    q(o.tbotPath),
    'ssh-proxy-command',
    `--destination-dir=${q(o.dir)}`,
    `--proxy-server=${q(o.proxy.addr)}`,
    `--cluster=${q(cluster)}`,
    o.proxy.tlsRouting ? '--tls-routing' : '--no-tls-routing',
    '--no-connection-upgrade',
    '--resume',
    '--user=%r',
    '--host=%h',
    '--port=%p',
  ].join(' ');
}

/** ssh_config in the modern (v16+) form: one block per cluster (lib/config/openssh). */
export function sshConfig(o: SshConfigOptions, clusters: string[]): string {
  const host = o.proxy.host;
  const lines = [`# Begin generated Teleport configuration for ${host} by tbot`, ''];
  for (const cluster of clusters) {
    lines.push(
      `# Common flags for all ${cluster} hosts`,
      `Host *.${cluster} ${host}`,
      `    UserKnownHostsFile "${o.dir}/known_hosts"`,
      `    IdentityFile "${o.dir}/key"`,
      `    CertificateFile "${o.dir}/key-cert.pub"`,
      '',
      `# Flags for all ${cluster} hosts except the proxy`,
      `Host *.${cluster} !${host}`,
      '    Port 3022',
      `    ProxyCommand ${proxyCommand(o, cluster)}`,
      '',
    );
  }
  lines.push('# End generated Teleport configuration', '');
  return lines.join('\n');
}

/** v18 `<cluster>.ssh_config`: no Host lines (teleport-behaviour.md §3). */
export function clusterSshConfig(o: SshConfigOptions, cluster: string): string {
  return [
    `# Cluster-specific ssh_config generated by tbot for cluster '${cluster}' via proxy '${o.proxy.addr}'`,
    `UserKnownHostsFile "${o.dir}/${cluster}.known_hosts"`,
    `IdentityFile "${o.dir}/key"`,
    `CertificateFile "${o.dir}/key-cert.pub"`,
    'Port 3022',
    `ProxyCommand ${proxyCommand(o, cluster)}`,
    '',
  ].join('\n');
}

/** tls.crt / tls.key / tls.cas (application specific_tls_naming, database format tls). */
export function tlsTriple(c: Certs, caPem: string): Record<string, string> {
  return { 'tls.crt': nl(c.tlsCert), 'tls.key': nl(c.key.privateKeyPem), 'tls.cas': nl(caPem) };
}

export function databaseFormatFiles(c: Certs, format: string | undefined): Record<string, string> {
  switch (format) {
    case 'tls':
      return tlsTriple(c, c.cas.tls_db);
    case 'mongo':
      return {
        'mongo.crt': nl(c.tlsCert) + nl(c.key.privateKeyPem),
        'mongo.cas': nl(c.cas.tls_db),
      };
    case 'cockroach':
      return {
        'cockroach/node.key': nl(c.key.privateKeyPem),
        'cockroach/node.crt': nl(c.tlsCert),
        'cockroach/ca.crt': nl(c.cas.tls_db),
      };
    default:
      return {};
  }
}
