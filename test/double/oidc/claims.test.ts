import { describe, expect, it } from 'vitest';
import {
  CIRCLECI_DEFAULTS,
  circleciClaims,
  GITHUB_ISSUER,
  GITLAB_ISSUER,
  githubClaims,
  gitlabClaims,
  gitlabGuessTier,
} from './claims';

// The claim names the platforms document (see claims.ts for sources). Teleport's allow rules
// match a subset of them (teleport-behaviour.md §4.2).
const GITHUB_FIELDS = [
  'jti',
  'sub',
  'aud',
  'ref',
  'sha',
  'repository',
  'repository_owner',
  'repository_owner_id',
  'repository_id',
  'repository_visibility',
  'run_id',
  'run_number',
  'run_attempt',
  'runner_environment',
  'actor',
  'actor_id',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'head_ref',
  'base_ref',
  'event_name',
  'ref_type',
  'ref_protected',
  'job_workflow_ref',
  'job_workflow_sha',
  'iss',
  'nbf',
  'exp',
  'iat',
];

const GITLAB_FIELDS = [
  'namespace_id',
  'namespace_path',
  'project_id',
  'project_path',
  'user_id',
  'user_login',
  'user_email',
  'user_access_level',
  'pipeline_id',
  'pipeline_source',
  'job_id',
  'ref',
  'ref_type',
  'ref_path',
  'ref_protected',
  'runner_id',
  'runner_environment',
  'sha',
  'ci_config_ref_uri',
  'ci_config_sha',
  'project_visibility',
  'jti',
  'iss',
  'iat',
  'nbf',
  'exp',
  'sub',
  'aud',
];
const GITLAB_ENV_FIELDS = ['environment', 'environment_protected', 'deployment_tier'];

const CIRCLECI_FIELDS = [
  'iss',
  'sub',
  'aud',
  'iat',
  'exp',
  'oidc.circleci.com/project-id',
  'oidc.circleci.com/context-ids',
  'oidc.circleci.com/vcs-origin',
  'oidc.circleci.com/vcs-ref',
  'oidc.circleci.com/org-id',
  'oidc.circleci.com/pipeline-id',
  'oidc.circleci.com/pipeline-definition-id',
  'oidc.circleci.com/ssh-rerun',
];

describe('githubClaims', () => {
  it('has the documented claims, strings for ids, no environment unless set', () => {
    const c = githubClaims({ now: 1_700_000_000 });
    expect(Object.keys(c)).toEqual(expect.arrayContaining(GITHUB_FIELDS));
    expect(c).not.toHaveProperty('environment');
    expect(c).toMatchObject({
      iss: GITHUB_ISSUER,
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      aud: 'https://github.com/octo-org',
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      ref: 'refs/heads/main',
      ref_type: 'branch',
      ref_protected: 'true',
      event_name: 'push',
      head_ref: '',
      base_ref: '',
      workflow_ref: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
      job_workflow_ref: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
      runner_environment: 'github-hosted',
      iat: 1_700_000_000,
      nbf: 1_700_000_000 - 300,
      exp: 1_700_000_000 + 300,
    });
    for (const k of ['repository_id', 'repository_owner_id', 'run_id', 'actor_id', 'run_attempt']) {
      expect(typeof c[k as keyof typeof c]).toBe('string');
    }
    expect(c.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(c.workflow_sha).toBe(c.sha);
    expect(c.job_workflow_sha).toBe(c.sha);
    expect(c.jti).not.toBe(githubClaims().jti);
  });

  it('keeps sub, ref_type and workflow refs consistent with the input', () => {
    const env = githubClaims({ repository: 'o/r', environment: 'prod' });
    expect(env.sub).toBe('repo:o/r:environment:prod');
    expect(env.environment).toBe('prod');
    expect(env.aud).toBe('https://github.com/o');

    const tag = githubClaims({ repository: 'o/r', ref: 'refs/tags/v1.2.3' });
    expect(tag).toMatchObject({
      sub: 'repo:o/r:ref:refs/tags/v1.2.3',
      ref_type: 'tag',
      ref_protected: 'false',
      job_workflow_ref: 'o/r/.github/workflows/ci.yml@refs/tags/v1.2.3',
    });

    const branch = githubClaims({ repository: 'o/r', ref: 'feature/x' });
    expect(branch.ref).toBe('refs/heads/feature/x');
    expect(branch.sub).toBe('repo:o/r:ref:refs/heads/feature/x');

    const pr = githubClaims({ repository: 'o/r', eventName: 'pull_request', headRef: 'fix' });
    expect(pr).toMatchObject({
      sub: 'repo:o/r:pull_request',
      ref: 'refs/pull/1/merge',
      ref_type: 'branch',
      head_ref: 'fix',
      base_ref: 'main',
    });

    // The environment wins over the pull request in `sub`.
    const prEnv = githubClaims({ eventName: 'pull_request', environment: 'staging' });
    expect(prEnv.sub).toBe('repo:octo-org/octo-repo:environment:staging');

    // ':' in metadata is written as %3A.
    expect(githubClaims({ repository: 'o/r', environment: 'Production:V1' }).sub).toBe(
      'repo:o/r:environment:Production%3AV1',
    );

    const reusable = githubClaims({
      jobWorkflowRef: 'octo-org/shared/.github/workflows/deploy.yml@refs/heads/main',
      jobWorkflowSha: 'a'.repeat(40),
    });
    expect(reusable.workflow_ref).toBe(
      'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
    );
    expect(reusable.job_workflow_ref).toBe(
      'octo-org/shared/.github/workflows/deploy.yml@refs/heads/main',
    );
    expect(reusable.job_workflow_sha).toBe('a'.repeat(40));
  });

  it('supports the immutable subject format and enterprise claims', () => {
    const c = githubClaims({
      repository: 'octo-org/octo-repo',
      repositoryOwnerId: 123456,
      repositoryId: 456789,
      subjectFormat: 'immutable',
      enterprise: { name: 'octo-corp', id: 42 },
    });
    expect(c.sub).toBe('repo:octo-org@123456/octo-repo@456789:ref:refs/heads/main');
    expect(c.enterprise).toBe('octo-corp');
    expect(c.enterprise_id).toBe('42');
  });
});

describe('gitlabClaims', () => {
  it('has the documented claims and a consistent sub', () => {
    const c = gitlabClaims({ now: 1_700_000_000, audience: 'teleport.example.test' });
    expect(Object.keys(c)).toEqual(expect.arrayContaining(GITLAB_FIELDS));
    for (const k of GITLAB_ENV_FIELDS) expect(c).not.toHaveProperty(k);
    expect(c).toMatchObject({
      iss: GITLAB_ISSUER,
      aud: 'teleport.example.test',
      sub: 'project_path:my-group/my-project:ref_type:branch:ref:main',
      namespace_path: 'my-group',
      project_path: 'my-group/my-project',
      ref: 'main',
      ref_type: 'branch',
      ref_path: 'refs/heads/main',
      ref_protected: 'true',
      ci_config_ref_uri: 'gitlab.example.test/my-group/my-project//.gitlab-ci.yml@refs/heads/main',
      iat: 1_700_000_000,
      nbf: 1_700_000_000 - 5,
      exp: 1_700_000_000 + 3600,
    });
    expect(typeof c.runner_id).toBe('number');
    expect(typeof c.project_id).toBe('string');
    expect(c.ci_config_sha).toBe(c.sha);
  });

  it('derives namespace, tag refs and environment claims from the input', () => {
    const c = gitlabClaims({
      projectPath: 'top/sub/proj',
      ref: 'v1.0.0',
      refType: 'tag',
      environment: 'production',
      environmentProtected: true,
      issuer: 'https://gitlab.internal.test',
    });
    expect(Object.keys(c)).toEqual(expect.arrayContaining(GITLAB_ENV_FIELDS));
    expect(c).toMatchObject({
      namespace_path: 'top/sub',
      sub: 'project_path:top/sub/proj:ref_type:tag:ref:v1.0.0',
      ref_path: 'refs/tags/v1.0.0',
      ref_protected: 'false',
      environment: 'production',
      environment_protected: 'true',
      deployment_tier: 'production',
      ci_config_ref_uri: 'gitlab.internal.test/top/sub/proj//.gitlab-ci.yml@refs/tags/v1.0.0',
      aud: 'https://gitlab.internal.test',
    });
  });

  it('guesses deployment tiers like GitLab', () => {
    expect(gitlabGuessTier('production')).toBe('production');
    expect(gitlabGuessTier('staging')).toBe('staging');
    expect(gitlabGuessTier('review/feature-1')).toBe('development');
    expect(gitlabGuessTier('qa')).toBe('testing');
    expect(gitlabGuessTier('sandbox')).toBe('other');
  });
});

describe('circleciClaims', () => {
  it('has the documented claims; iss, sub and aud follow the org id', () => {
    const org = '11111111-2222-4333-8444-555555555555';
    const c = circleciClaims({ orgId: org, projectId: 'p-1', userId: 'u-1', now: 1_700_000_000 });
    expect(Object.keys(c)).toEqual(expect.arrayContaining(CIRCLECI_FIELDS));
    expect(c).toMatchObject({
      iss: `https://oidc.circleci.com/org/${org}`,
      sub: `org/${org}/project/p-1/user/u-1`,
      aud: org,
      iat: 1_700_000_000,
      exp: 1_700_000_000 + 3600,
      'oidc.circleci.com/org-id': org,
      'oidc.circleci.com/project-id': 'p-1',
      'oidc.circleci.com/context-ids': [CIRCLECI_DEFAULTS.contextId],
      'oidc.circleci.com/ssh-rerun': false,
    });
    expect(c).not.toHaveProperty('nbf');
  });

  it('builds the V2 subject and drops VCS claims for custom webhooks', () => {
    const v2 = circleciClaims({ subjectFormat: 'v2' });
    expect(v2.sub).toBe(
      `org/${CIRCLECI_DEFAULTS.orgId}/project/${CIRCLECI_DEFAULTS.projectId}/user/${CIRCLECI_DEFAULTS.userId}` +
        '/vcs-origin/github.com/octo-org/octo-repo/vcs-ref/refs/heads/main',
    );
    const webhook = circleciClaims({ vcsOrigin: null, vcsRef: null });
    expect(webhook).not.toHaveProperty('oidc.circleci.com/vcs-origin');
    expect(webhook).not.toHaveProperty('oidc.circleci.com/vcs-ref');
  });
});
