import { InputError } from '../errors';

export interface ProxyAddress {
  host: string;
  port: number;
  /** `host:port`, as tbot and `tsh --proxy` take it. */
  hostPort: string;
}

const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)$/;

/**
 * Parses the `proxy` input: the proxy's public address, `host[:port]`, without a scheme or
 * path (port 443 when omitted), as Teleport's own clients take it.
 */
export function parseProxyAddress(raw: string, input = 'proxy'): ProxyAddress {
  const value = raw.trim();
  const fix = "give the proxy's public address as host:port, e.g. 'teleport.example.com:443'";
  if (value === '') throw new InputError(input, `is empty: ${fix}`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new InputError(input, `'${value}' has a URL scheme: ${fix}, without 'https://'`);
  }
  if (/[/?#]/.test(value)) throw new InputError(input, `'${value}' has a path: ${fix}`);
  const match = /^(.*?)(?::(\d+))?$/.exec(value);
  const host = match?.[1] ?? '';
  const port = match?.[2] === undefined ? 443 : Number(match[2]);
  if (!HOST.test(host)) throw new InputError(input, `'${value}' is not a host name: ${fix}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(input, `'${value}' has an invalid port: ${fix}`);
  }
  return { host, port, hostPort: `${host}:${port}` };
}
