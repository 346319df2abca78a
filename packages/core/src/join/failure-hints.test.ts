import { describe, expect, it } from 'vitest';
import { tbotFailureCause } from './failure-hints';

const ctx = {
  token: 'github-bot',
  proxy: 'teleport.example.com:443',
  preflight: { summary: "repository 'octo-org/octo-repo', ref 'refs/heads/main'" },
} as Parameters<typeof tbotFailureCause>[1];

// tbot wraps every first-join failure `joining with token` (v18 adds `building identity
// service` / `initializing identity service` above it): teleport-behaviour.md §2.3. The messages are the
// double's auth and stand-in tbot texts (test/double/auth/service.ts, standin/tbot/net/client.ts).
describe('one hint per cause of a failed tbot run', () => {
  it('a wrong token name: check the token input', () => {
    const cause = tbotFailureCause(
      'joining with token: "" can not join the cluster with role "Bot", token expired or not found',
      ctx,
    );
    expect(cause).toEqual({
      atJoin: true,
      hint: "the cluster has no join token named 'github-bot' (or it expired): check 'token' against 'tctl tokens ls'",
    });
  });

  it('a `token` join: its name is the secret, never shown', () => {
    const cause = tbotFailureCause('joining with token: token expired or not found', {
      ...ctx,
      token: undefined,
    });
    expect(cause?.hint).toBe(
      "the cluster has no join token by that name (or it expired): check 'token' against 'tctl tokens ls'",
    );
  });

  it('claims that match no allow rule keep the claims hint', () => {
    const cause = tbotFailureCause(
      'building identity service: initializing identity service: joining with token: id token claims did not match any allow rules',
      ctx,
    );
    expect(cause?.hint).toBe(
      "this job's ID token has repository 'octo-org/octo-repo', ref 'refs/heads/main': compare them with the token's allow rules",
    );
  });

  it('an unreachable proxy, or one without a port: the proxy input', () => {
    expect(
      tbotFailureCause(
        'joining with token: failed to connect to the proxy at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
        ctx,
      )?.hint,
    ).toMatch(/^tbot could not reach the proxy at teleport.example.com:443: check 'proxy'/);
    expect(
      tbotFailureCause(
        'joining with token: address teleport.example.com: missing port in address',
        ctx,
      )?.hint,
    ).toMatch(/has no port: give 'proxy' as host:port/);
  });

  it('an unknown Kubernetes cluster or a role the bot lacks: what exists', () => {
    expect(
      tbotFailureCause('running service "kubernetes": kubernetes cluster "prod" not found', ctx),
    ).toMatchObject({ atJoin: false, hint: expect.stringContaining("'tsh kube ls'") });
    expect(
      tbotFailureCause(
        "running service \"identity\": access denied to 'bot-ci' to impersonate roles 'admin'",
        ctx,
      )?.hint,
    ).toBe(
      "the bot does not hold role admin: name only roles the bot has in 'roles' ('tctl get bot/<name>' lists them), or leave 'roles' empty for all of them",
    );
  });

  it('an expired ID token or another audience: the token itself', () => {
    expect(
      tbotFailureCause('joining with token: oidc: token is expired (Token Expiry: x)', ctx),
    ).toMatchObject({ atJoin: true, hint: expect.stringContaining('had expired') });
    expect(
      tbotFailureCause(
        'joining with token: oidc: expected audience "teleport.example.test" got ["https://gitlab.example.test"]',
        ctx,
      )?.hint,
    ).toBe(
      `the cluster expects ID tokens for audience "teleport.example.test": issue the job's ID token for it (on GitLab, 'aud' under 'id_tokens:' is the cluster name)`,
    );
  });

  it('anything else: no hint (the message stays tbot own)', () => {
    expect(tbotFailureCause('joining with token: something new', ctx)).toBeUndefined();
  });
});

// Machine ID FAQ: no applications, databases or Kubernetes clusters in trusted leaf clusters,
// and no per-session MFA on the roles a bot impersonates.
describe('trusted leaf clusters and per-session MFA', () => {
  it.each([
    ['application "leaf-grafana" not found', /application named "leaf-grafana"/],
    ['database "leaf-orders" not found', /database named "leaf-orders"/],
    ['kubernetes cluster "leaf-prod" not found', /Kubernetes cluster named "leaf-prod"/],
  ])('%s: the hint also names the leaf-cluster limit', (reason, named) => {
    const hint = tbotFailureCause(`generating output: ${reason}`, ctx)?.hint ?? '';
    expect(hint).toMatch(named);
    expect(hint).toContain(
      'Machine ID cannot reach applications, databases or Kubernetes clusters in a trusted leaf cluster (only SSH nodes there)',
    );
  });

  it.each([
    'access to resource requires MFA',
    "MFA is required to access this resource but user has no MFA devices; use 'tsh mfa add' to register MFA devices",
  ])('%s: per-session MFA on the bot roles, and the work-around', (reason) => {
    expect(tbotFailureCause(reason, ctx)).toEqual({
      atJoin: false,
      hint: "a role the bot impersonates (or the cluster's auth preference) requires per-session MFA, which a bot cannot answer: set require_session_mfa on other roles, not on the ones the bot uses",
    });
  });
});
