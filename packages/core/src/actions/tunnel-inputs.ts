import type { BackgroundSettings } from '../auth/run-auth';
import { InputError } from '../errors';
import { intInput, requiredInput } from '../inputs';
import type { CiPlatform } from '../platform/platform';

const DEFAULT_DIAG_PORT = 57263; // the official actions' default (teleport-behaviour.md §5.4)
const DEFAULT_TIMEOUT_MS = 30_000;

/** A `listen` URI: `tcp://host:port` (or `unix:///path`). */
export function parseListen(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError('listen', `'${raw}' is not a URI: use e.g. tcp://127.0.0.1:5432`);
  }
  if (url.protocol === 'unix:') {
    // tbot resolves a relative socket path against its own working folder, not the job's.
    if (url.host !== '' || !url.pathname.startsWith('/') || url.pathname === '/') {
      throw new InputError(
        'listen',
        `'${raw}' is not an absolute socket path: use unix:///<absolute path>, e.g. unix:///tmp/db.sock`,
      );
    }
    return url;
  }
  if (url.protocol === 'tcp:' && url.port === '0') {
    // Port 0 makes the system pick one, which nothing then tells the job.
    throw new InputError('listen', `'${raw}' has port 0: give the port the tunnel listens on`);
  }
  if (url.protocol !== 'tcp:' || !url.port || url.pathname.replace(/\/$/, '') !== '') {
    throw new InputError(
      'listen',
      `'${raw}' must be tcp://<host>:<port> or unix:///<path>, e.g. tcp://127.0.0.1:5432`,
    );
  }
  return url;
}

/** The `listen` input, with an example of the address the tunnel usually takes. */
export function readListen(platform: CiPlatform, example: string): URL {
  return parseListen(requiredInput(platform, 'listen', `give a local address, e.g. ${example}`));
}

/** What every tunnel shares: where tbot's diagnostics listen, and how long to wait. */
export function readBackgroundSettings(platform: CiPlatform): BackgroundSettings {
  const port = intInput(platform, 'diag-port', DEFAULT_DIAG_PORT, 65535, 1);
  return {
    diagAddr: `127.0.0.1:${port}`,
    timeoutMs: intInput(platform, 'timeout-ms', DEFAULT_TIMEOUT_MS, 3_600_000),
  };
}
