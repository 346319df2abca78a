// A leaf module: the auth flow reads `timeout-ms` before it loads the code that runs tbot
// (child_process, net), so the default lives apart from that code.

/** How long a one-shot tbot may take to join and write, unless `timeout-ms` says otherwise. */
export const DEFAULT_ONESHOT_TIMEOUT_MS = 300_000;
