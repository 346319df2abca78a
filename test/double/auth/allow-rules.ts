// A token's `allow` rules against verified ID token claims (teleport-behaviour.md §4.2): every field set in a
// rule must match; one matching rule is enough; otherwise Teleport's AccessDenied
// "id token claims did not match any allow rules" (lib/auth/join_github.go and its twins).

import { type CircleciRule, type GithubRule, type GitlabRule, TeleportError } from './resources';
import type { Claims } from './verify-jwt';

export const NO_RULE_MATCHED = 'id token claims did not match any allow rules';

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** GitLab rule globs: `*` any run of characters, `?` one character, the rest literal. */
export function globMatch(pattern: string, value: string): boolean {
  const re = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`, 's').test(value);
}

function ruleMatches<R extends object>(
  rule: R,
  check: (field: keyof R & string, want: unknown) => boolean,
): boolean {
  for (const [field, want] of Object.entries(rule)) {
    if (want === undefined || want === null || want === '') continue;
    if (!check(field as keyof R & string, want)) return false;
  }
  return true;
}

const GITHUB_FIELDS: ReadonlyArray<keyof GithubRule> = [
  'sub',
  'repository',
  'repository_owner',
  'workflow',
  'environment',
  'actor',
  'ref',
  'ref_type',
];

export function checkGithubRules(rules: GithubRule[], claims: Claims): void {
  for (const rule of rules) {
    const ok = ruleMatches(rule, (field, want) =>
      GITHUB_FIELDS.includes(field) ? str(claims[field]) === String(want) : true,
    );
    if (ok) return;
  }
  throw new TeleportError('access-denied', NO_RULE_MATCHED);
}

const GITLAB_GLOB_FIELDS = new Set(['project_path', 'namespace_path', 'ref', 'sub']);

export function checkGitlabRules(rules: GitlabRule[], claims: Claims): void {
  for (const rule of rules) {
    const ok = ruleMatches(rule, (field, want) => {
      const actual = str(claims[field]);
      if (typeof want === 'boolean') return actual === String(want);
      if (GITLAB_GLOB_FIELDS.has(field)) return globMatch(String(want), actual);
      return actual === String(want);
    });
    if (ok) return;
  }
  throw new TeleportError('access-denied', NO_RULE_MATCHED);
}

export function checkCircleciRules(rules: CircleciRule[], claims: Claims): void {
  const projectId = str(claims['oidc.circleci.com/project-id']);
  const contexts = claims['oidc.circleci.com/context-ids'];
  const contextIds = Array.isArray(contexts) ? contexts.map(String) : [];
  for (const rule of rules) {
    if (rule.project_id && rule.project_id !== projectId) continue;
    if (rule.context_id && !contextIds.includes(rule.context_id)) continue;
    return;
  }
  throw new TeleportError('access-denied', NO_RULE_MATCHED);
}
