import type { JoinPreflight } from './id-token';

/** What a failed tbot run is explained against. */
export interface FailureContext {
  /** The join token's name (the `token` input); undefined when it is itself the secret
   *  (`token` joins), so that no message shows it. */
  token?: string;
  /** The proxy address tbot dialled (the `proxy` input, as host:port). */
  proxy: string;
  /** The ID token's claims, when the platform has one (teleport-behaviour.md §4.1). */
  preflight?: JoinPreflight;
}

interface Cause {
  test: RegExp;
  /** Whether the cause stops the join itself (else tbot joined and an output failed). */
  atJoin: boolean;
  hint(match: RegExpExecArray, ctx: FailureContext): string;
}

// tbot wraps every first-join failure as `joining with token` (v18 adds `building identity
// service` / `initializing identity service` above it), so that wrapper says nothing about the
// cause: the cause is read from the innermost messages (teleport-behaviour.md §2.3, §4.2).
// Order matters: the first cause that matches wins.

// Machine ID FAQ ("Can MWI be used with Trusted Clusters?"): SSH reaches leaf clusters' nodes,
// nothing else does. A leaf's apps, databases and Kubernetes clusters are unknown to the root,
// so tbot can only say "not found"; the hint names the other possible reason.
const NOT_IN_A_LEAF =
  'Machine ID cannot reach applications, databases or Kubernetes clusters in a trusted leaf cluster (only SSH nodes there): if it is in one, run the job against that cluster with a bot of its own';

const CAUSES: Cause[] = [
  {
    // lib/services/role.go ErrSessionMFARequired; authclient.ErrNoMFADevices (tsh).
    test: /requires MFA|has no MFA devices/i,
    atJoin: false,
    hint: () =>
      "a role the bot impersonates (or the cluster's auth preference) requires per-session MFA, which a bot cannot answer: set require_session_mfa on other roles, not on the ones the bot uses",
  },
  {
    test: /token expired or not found/i,
    atJoin: true,
    hint: (_m, { token }) =>
      `the cluster has no join token ${token ? `named '${token}' ` : 'by that name '}(or it expired): check 'token' against 'tctl tokens ls'`,
  },
  {
    test: /did not match any allow rules/i,
    atJoin: true,
    hint: (_m, { preflight }) =>
      preflight
        ? `this job's ID token has ${preflight.summary}: compare them with the token's allow rules`
        : "this job's identity did not match the token's allow rules: compare the job with them",
  },
  {
    test: /oidc: token is expired/i,
    atJoin: true,
    hint: () =>
      "the job's ID token had expired when the cluster checked it: check the clocks of the runner and the cluster, and re-run the job",
  },
  {
    test: /oidc: expected audience "([^"]*)"/i,
    atJoin: true,
    hint: (m) =>
      `the cluster expects ID tokens for audience "${m[1]}": issue the job's ID token for it (on GitLab, 'aud' under 'id_tokens:' is the cluster name)`,
  },
  {
    test: /missing port in address/i,
    atJoin: true,
    hint: (_m, { proxy }) =>
      `the proxy address '${proxy}' has no port: give 'proxy' as host:port, e.g. teleport.example.com:443`,
  },
  {
    test: /failed to connect|connection refused|no such host|dial tcp|i\/o timeout|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|certificate signed by unknown authority|x509:/i,
    atJoin: true,
    hint: (_m, { proxy }) =>
      `tbot could not reach the proxy at ${proxy}: check 'proxy' (the Teleport proxy's public host:port, e.g. teleport.example.com:443) and that this job can reach it`,
  },
  {
    test: /kubernetes cluster "([^"]*)" not found/i,
    atJoin: false,
    hint: (m) =>
      `the bot's roles give no access to a Kubernetes cluster named "${m[1]}": check 'kubernetes-cluster' against 'tsh kube ls' run as the bot, or the roles' kubernetes_labels; ${NOT_IN_A_LEAF}`,
  },
  {
    test: /impersonate roles '([^']*)'|role (\S+) is not found/i,
    atJoin: false,
    hint: (m) =>
      `the bot does not hold role ${m[1] ?? m[2]}: name only roles the bot has in 'roles' ('tctl get bot/<name>' lists them), or leave 'roles' empty for all of them`,
  },
  {
    test: /application "([^"]*)" not found/i,
    atJoin: false,
    hint: (m) =>
      `the bot's roles give no access to an application named "${m[1]}": check 'app' against 'tsh apps ls' run as the bot; ${NOT_IN_A_LEAF}`,
  },
  {
    test: /database "([^"]*)" not found/i,
    atJoin: false,
    hint: (m) =>
      `the bot's roles give no access to a database named "${m[1]}": check 'service' against 'tsh db ls' run as the bot; ${NOT_IN_A_LEAF}`,
  },
];

/** The cause of a failed tbot run with one hint for it, or undefined when none is known. */
export function tbotFailureCause(
  reason: string,
  ctx: FailureContext,
): { atJoin: boolean; hint: string } | undefined {
  for (const cause of CAUSES) {
    const match = cause.test.exec(reason);
    if (match) return { atJoin: cause.atJoin, hint: cause.hint(match, ctx) };
  }
  return undefined;
}
