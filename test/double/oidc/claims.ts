// Claim sets of the three CI platforms' OIDC ID tokens, built from a small input so that the
// derived claims (`sub`, `ref_type`, `workflow_ref`, `ci_config_ref_uri`, ...) stay consistent.
//
// Shared by the double's tests and its auth service. Teleport matches these claims against
// the `allow` rules of a `kind: token` resource (teleport-behaviour.md §4.2); tbot reads the token from the
// platform (teleport-behaviour.md §4.1).
//
// Sources (public documentation and source, see README.md for the uncertain points):
// - GitHub: docs.github.com "OpenID Connect reference" (actions/reference/security/oidc) and
//   real token payloads (all custom claims are strings; `head_ref`/`base_ref` are '' outside
//   pull requests; `nbf` = iat - 300 and `exp` = iat + 300 in recent tokens).
// - GitLab: docs.gitlab.com "OIDC Authentication Using ID Tokens" and gitlabhq
//   `lib/gitlab/ci/jwt.rb`, `jwt_v2.rb`, `lib/json_web_token/user_project_token_claims.rb`
//   (ids are strings except `runner_id`; `nbf` = iat - 5; `exp` = iat + job timeout).
// - CircleCI: circleci.com/docs/openid-connect-tokens (+ the 2025 custom-claims announcement
//   for org-id / pipeline-id / pipeline-definition-id); `exp` = iat + 1 h; no `nbf`/`jti`.

import { randomUUID } from 'node:crypto';

export type Platform = 'github' | 'gitlab' | 'circleci';

/** Seconds since the epoch. */
export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions
// ---------------------------------------------------------------------------------------------

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** The audience tbot requests and Teleport's validator expects (teleport-behaviour.md §4.2). */
export const TELEPORT_GITHUB_AUDIENCE = 'teleport.cluster.local';

export type GithubClaims = {
  jti: string;
  sub: string;
  /** Only present when the job references an environment. */
  environment?: string;
  aud: string | string[];
  ref: string;
  sha: string;
  repository: string;
  repository_owner: string;
  repository_owner_id: string;
  run_id: string;
  run_number: string;
  run_attempt: string;
  repository_visibility: 'public' | 'private' | 'internal';
  repository_id: string;
  actor_id: string;
  actor: string;
  workflow: string;
  head_ref: string;
  base_ref: string;
  event_name: string;
  ref_protected: 'true' | 'false';
  ref_type: 'branch' | 'tag';
  workflow_ref: string;
  workflow_sha: string;
  job_workflow_ref: string;
  job_workflow_sha: string;
  runner_environment: 'github-hosted' | 'self-hosted';
  /** Only for repositories in an enterprise. */
  enterprise?: string;
  enterprise_id?: string;
  iss: string;
  nbf: number;
  exp: number;
  iat: number;
};

export type GithubClaimInput = {
  /** `owner/repo`. Default `octo-org/octo-repo`. */
  repository?: string;
  repositoryOwnerId?: string | number;
  repositoryId?: string | number;
  repositoryVisibility?: GithubClaims['repository_visibility'];
  /**
   * Full git ref (`refs/heads/main`, `refs/tags/v1.0.0`, `refs/pull/7/merge`); a bare name is
   * taken as a branch. Default `refs/heads/main`, or `refs/pull/1/merge` for `pull_request`.
   */
  ref?: string;
  sha?: string;
  defaultBranch?: string;
  /** Default: true on the default branch, false elsewhere. */
  refProtected?: boolean;
  actor?: string;
  actorId?: string | number;
  /** Workflow name (the `name:` of the workflow file). Default `CI`. */
  workflow?: string;
  /** Default `.github/workflows/ci.yml`. */
  workflowFile?: string;
  /** Set for a job that runs a reusable workflow, e.g. `org/shared/.github/workflows/x.yml@refs/heads/main`. */
  jobWorkflowRef?: string;
  jobWorkflowSha?: string;
  /** Deployment environment of the job; changes `sub` to `repo:o/r:environment:<env>`. */
  environment?: string;
  /** Default `push`. `pull_request` changes `sub` to `repo:o/r:pull_request`. */
  eventName?: string;
  headRef?: string;
  baseRef?: string;
  runId?: string | number;
  runNumber?: string | number;
  runAttempt?: string | number;
  runnerEnvironment?: GithubClaims['runner_environment'];
  /** `immutable` is the `repo:owner@ownerId/repo@repoId:...` format of repositories created after 2026-07-15. */
  subjectFormat?: 'legacy' | 'immutable';
  enterprise?: { name: string; id: string | number };
  issuer?: string;
  /** Default: GitHub's default audience, the owner's URL `https://github.com/<owner>`. */
  audience?: string | string[];
  /** Issue time in seconds since the epoch. Default now. */
  now?: number;
  /** Default 300. */
  lifetimeSec?: number;
  jti?: string;
};

const GITHUB_DEFAULTS = {
  repository: 'octo-org/octo-repo',
  repositoryOwnerId: '123456',
  repositoryId: '456789',
  sha: 'b5a8a5c1f7e34b3d9a1c0e2f4d6b8a0c2e4f6a8b',
  actor: 'octocat',
  actorId: '583231',
  workflow: 'CI',
  workflowFile: '.github/workflows/ci.yml',
  runId: '9876543210',
  runNumber: '42',
  runAttempt: '1',
} as const;

/** GitHub's default `aud`: the URL of the repository owner. */
export function githubDefaultAudience(repository: string): string {
  const owner = repository.split('/')[0] ?? repository;
  return `https://github.com/${owner}`;
}

/** GitHub replaces `:` in subject metadata with `%3A`. */
function subPart(value: string): string {
  return value.replaceAll(':', '%3A');
}

export function githubClaims(input: GithubClaimInput = {}): GithubClaims {
  const repository = input.repository ?? GITHUB_DEFAULTS.repository;
  const [owner = '', repo = ''] = repository.split('/');
  const eventName = input.eventName ?? 'push';
  const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target';
  const defaultBranch = input.defaultBranch ?? 'main';
  let ref = input.ref ?? (eventName === 'pull_request' ? 'refs/pull/1/merge' : 'refs/heads/main');
  if (!ref.startsWith('refs/')) ref = `refs/heads/${ref}`;
  const refType: GithubClaims['ref_type'] = ref.startsWith('refs/tags/') ? 'tag' : 'branch';
  const refProtected = input.refProtected ?? ref === `refs/heads/${defaultBranch}`;
  const sha = input.sha ?? GITHUB_DEFAULTS.sha;
  const ownerId = String(input.repositoryOwnerId ?? GITHUB_DEFAULTS.repositoryOwnerId);
  const repoId = String(input.repositoryId ?? GITHUB_DEFAULTS.repositoryId);
  const workflowFile = input.workflowFile ?? GITHUB_DEFAULTS.workflowFile;
  const workflowRef = `${repository}/${workflowFile}@${ref}`;

  const subjectRepo =
    input.subjectFormat === 'immutable'
      ? `repo:${owner}@${ownerId}/${repo}@${repoId}`
      : `repo:${repository}`;
  let sub: string;
  if (input.environment !== undefined) {
    sub = `${subjectRepo}:environment:${subPart(input.environment)}`;
  } else if (eventName === 'pull_request') {
    sub = `${subjectRepo}:pull_request`;
  } else {
    sub = `${subjectRepo}:ref:${subPart(ref)}`;
  }

  const iat = input.now ?? nowSec();
  const claims: GithubClaims = {
    jti: input.jti ?? randomUUID(),
    sub,
    ...(input.environment !== undefined ? { environment: input.environment } : {}),
    aud: input.audience ?? githubDefaultAudience(repository),
    ref,
    sha,
    repository,
    repository_owner: owner,
    repository_owner_id: ownerId,
    run_id: String(input.runId ?? GITHUB_DEFAULTS.runId),
    run_number: String(input.runNumber ?? GITHUB_DEFAULTS.runNumber),
    run_attempt: String(input.runAttempt ?? GITHUB_DEFAULTS.runAttempt),
    repository_visibility: input.repositoryVisibility ?? 'private',
    repository_id: repoId,
    actor_id: String(input.actorId ?? GITHUB_DEFAULTS.actorId),
    actor: input.actor ?? GITHUB_DEFAULTS.actor,
    workflow: input.workflow ?? GITHUB_DEFAULTS.workflow,
    head_ref: isPullRequest ? (input.headRef ?? 'feature') : (input.headRef ?? ''),
    base_ref: isPullRequest ? (input.baseRef ?? defaultBranch) : (input.baseRef ?? ''),
    event_name: eventName,
    ref_protected: refProtected ? 'true' : 'false',
    ref_type: refType,
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: input.jobWorkflowRef ?? workflowRef,
    job_workflow_sha: input.jobWorkflowSha ?? sha,
    runner_environment: input.runnerEnvironment ?? 'github-hosted',
    ...(input.enterprise
      ? { enterprise: input.enterprise.name, enterprise_id: String(input.enterprise.id) }
      : {}),
    iss: input.issuer ?? GITHUB_ISSUER,
    nbf: iat - 300,
    exp: iat + (input.lifetimeSec ?? 300),
    iat,
  };
  return claims;
}

// ---------------------------------------------------------------------------------------------
// GitLab CI (`id_tokens`)
// ---------------------------------------------------------------------------------------------

export const GITLAB_ISSUER = 'https://gitlab.example.test';

export type GitlabAccessLevel =
  | 'guest'
  | 'planner'
  | 'reporter'
  | 'developer'
  | 'maintainer'
  | 'owner';
export type GitlabDeploymentTier = 'production' | 'staging' | 'testing' | 'development' | 'other';

export type GitlabClaims = {
  namespace_id: string;
  namespace_path: string;
  project_id: string;
  project_path: string;
  user_id: string;
  user_login: string;
  user_email: string;
  user_access_level: GitlabAccessLevel;
  job_project_id: string;
  job_project_path: string;
  job_namespace_id: string;
  job_namespace_path: string;
  pipeline_id: string;
  pipeline_source: string;
  job_id: string;
  ref: string;
  ref_type: 'branch' | 'tag';
  ref_path: string;
  ref_protected: 'true' | 'false';
  /** The four environment claims are only present when the job declares an environment. */
  environment?: string;
  environment_protected?: 'true' | 'false';
  deployment_tier?: GitlabDeploymentTier;
  environment_action?: string;
  /** A number, unlike the other ids. */
  runner_id: number;
  runner_environment: 'gitlab-hosted' | 'self-hosted';
  sha: string;
  project_visibility: 'private' | 'internal' | 'public';
  ci_config_ref_uri: string;
  ci_config_sha: string;
  jti: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  sub: string;
  aud: string | string[];
};

export type GitlabClaimInput = {
  /** `group[/subgroup]/project`. Default `my-group/my-project`. */
  projectPath?: string;
  projectId?: string | number;
  namespaceId?: string | number;
  userId?: string | number;
  userLogin?: string;
  userEmail?: string;
  userAccessLevel?: GitlabAccessLevel;
  pipelineId?: string | number;
  /** `push`, `web`, `schedule`, `merge_request_event`, `trigger`, `api`, ... Default `push`. */
  pipelineSource?: string;
  jobId?: string | number;
  /** Bare branch or tag name (GitLab has no `refs/heads/` prefix in `ref`). Default `main`. */
  ref?: string;
  refType?: 'branch' | 'tag';
  defaultBranch?: string;
  /** Default: true on the default branch. */
  refProtected?: boolean;
  environment?: string;
  environmentProtected?: boolean;
  /** Default: guessed from the environment name the way GitLab does. */
  deploymentTier?: GitlabDeploymentTier;
  environmentAction?: string;
  runnerId?: number;
  runnerEnvironment?: GitlabClaims['runner_environment'];
  sha?: string;
  projectVisibility?: GitlabClaims['project_visibility'];
  /** Default `.gitlab-ci.yml`. */
  ciConfigPath?: string;
  /** Override `sub` (GitLab lets projects customise its components). */
  sub?: string;
  /** The instance URL. Default `https://gitlab.example.test`. */
  issuer?: string;
  /** The job's `id_tokens.<NAME>.aud`. Teleport expects the cluster name (teleport-behaviour.md §4.2). Default: the issuer URL. */
  audience?: string | string[];
  now?: number;
  /** The job timeout. Default 3600. */
  lifetimeSec?: number;
  jti?: string;
};

const GITLAB_DEFAULTS = {
  projectPath: 'my-group/my-project',
  projectId: '20',
  namespaceId: '72',
  userId: '1',
  userLogin: 'sample-user',
  userEmail: 'sample-user@example.com',
  pipelineId: '574',
  jobId: '302',
  runnerId: 1,
  sha: '714a629c0b401fdce83e847fc9589983fc6f46bc',
} as const;

/**
 * GitLab's guess of an environment's tier from its name (`Environment#guess_tier`, from memory:
 * unanchored, case-insensitive, tried in this order).
 */
export function gitlabGuessTier(environment: string): GitlabDeploymentTier {
  if (/(dev|review|trunk)/i.test(environment)) return 'development';
  if (/(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i.test(environment)) return 'testing';
  if (/(st(a|)g|mod(e|)l|pre|demo|non)/i.test(environment)) return 'staging';
  if (/(pr(o|)d|live)/i.test(environment)) return 'production';
  return 'other';
}

export function gitlabClaims(input: GitlabClaimInput = {}): GitlabClaims {
  const projectPath = input.projectPath ?? GITLAB_DEFAULTS.projectPath;
  const namespacePath = projectPath.split('/').slice(0, -1).join('/') || projectPath;
  const projectId = String(input.projectId ?? GITLAB_DEFAULTS.projectId);
  const namespaceId = String(input.namespaceId ?? GITLAB_DEFAULTS.namespaceId);
  const ref = input.ref ?? 'main';
  const refType = input.refType ?? 'branch';
  const refPath = `${refType === 'tag' ? 'refs/tags' : 'refs/heads'}/${ref}`;
  const defaultBranch = input.defaultBranch ?? 'main';
  const refProtected = input.refProtected ?? (refType === 'branch' && ref === defaultBranch);
  const sha = input.sha ?? GITLAB_DEFAULTS.sha;
  const issuer = input.issuer ?? GITLAB_ISSUER;
  const host = issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const iat = input.now ?? nowSec();
  const env = input.environment;

  const claims: GitlabClaims = {
    namespace_id: namespaceId,
    namespace_path: namespacePath,
    project_id: projectId,
    project_path: projectPath,
    user_id: String(input.userId ?? GITLAB_DEFAULTS.userId),
    user_login: input.userLogin ?? GITLAB_DEFAULTS.userLogin,
    user_email: input.userEmail ?? GITLAB_DEFAULTS.userEmail,
    user_access_level: input.userAccessLevel ?? 'developer',
    job_project_id: projectId,
    job_project_path: projectPath,
    job_namespace_id: namespaceId,
    job_namespace_path: namespacePath,
    pipeline_id: String(input.pipelineId ?? GITLAB_DEFAULTS.pipelineId),
    pipeline_source: input.pipelineSource ?? 'push',
    job_id: String(input.jobId ?? GITLAB_DEFAULTS.jobId),
    ref,
    ref_type: refType,
    ref_path: refPath,
    ref_protected: refProtected ? 'true' : 'false',
    ...(env !== undefined
      ? {
          environment: env,
          environment_protected: input.environmentProtected ? 'true' : 'false',
          deployment_tier: input.deploymentTier ?? gitlabGuessTier(env),
          environment_action: input.environmentAction ?? 'start',
        }
      : {}),
    runner_id: input.runnerId ?? GITLAB_DEFAULTS.runnerId,
    runner_environment: input.runnerEnvironment ?? 'self-hosted',
    sha,
    project_visibility: input.projectVisibility ?? 'private',
    ci_config_ref_uri: `${host}/${projectPath}//${input.ciConfigPath ?? '.gitlab-ci.yml'}@${refPath}`,
    ci_config_sha: sha,
    jti: input.jti ?? randomUUID(),
    iss: issuer,
    iat,
    nbf: iat - 5,
    exp: iat + (input.lifetimeSec ?? 3600),
    sub: input.sub ?? `project_path:${projectPath}:ref_type:${refType}:ref:${ref}`,
    aud: input.audience ?? issuer,
  };
  return claims;
}

// ---------------------------------------------------------------------------------------------
// CircleCI (`CIRCLE_OIDC_TOKEN`)
// ---------------------------------------------------------------------------------------------

export const DEFAULT_CIRCLECI_ORG_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';

export function circleciIssuer(orgId: string): string {
  return `https://oidc.circleci.com/org/${orgId}`;
}

export type CircleciClaims = {
  iss: string;
  sub: string;
  /** The organization id by default (teleport-behaviour.md §4.2). */
  aud: string | string[];
  iat: number;
  exp: number;
  'oidc.circleci.com/org-id': string;
  'oidc.circleci.com/project-id': string;
  'oidc.circleci.com/pipeline-id': string;
  'oidc.circleci.com/pipeline-definition-id': string;
  'oidc.circleci.com/context-ids': string[];
  /** Absent for pipelines triggered by a custom webhook. */
  'oidc.circleci.com/vcs-origin'?: string;
  'oidc.circleci.com/vcs-ref'?: string;
  'oidc.circleci.com/ssh-rerun': boolean;
};

export type CircleciClaimInput = {
  orgId?: string;
  projectId?: string;
  userId?: string;
  /** Default: one context. Teleport's allow rules match `project_id` and/or `context_id`. */
  contextIds?: string[];
  /** e.g. `github.com/octo-org/octo-repo`; `null` omits it (custom webhook trigger). */
  vcsOrigin?: string | null;
  /** e.g. `refs/heads/main`; `null` omits it. */
  vcsRef?: string | null;
  pipelineId?: string;
  pipelineDefinitionId?: string;
  sshRerun?: boolean;
  /** `v1` is `CIRCLE_OIDC_TOKEN` (what tbot reads); `v2` is `CIRCLE_OIDC_TOKEN_V2`. */
  subjectFormat?: 'v1' | 'v2';
  /** Default `https://oidc.circleci.com/org/<orgId>`. */
  issuer?: string;
  /** Default: the org id. */
  audience?: string | string[];
  now?: number;
  /** Default 3600. */
  lifetimeSec?: number;
};

export const CIRCLECI_DEFAULTS = {
  orgId: DEFAULT_CIRCLECI_ORG_ID,
  projectId: '5b1e7f0a-9c3d-4e2f-8a6b-7c8d9e0f1a2b',
  userId: '0d4c7e2a-3b5f-4a61-9e8d-2c1b0a9f8e7d',
  contextId: '8e0b5a3c-6d1f-4b29-a7e4-3f2c1d0b9a8e',
  pipelineId: '1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
  pipelineDefinitionId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  vcsOrigin: 'github.com/octo-org/octo-repo',
  vcsRef: 'refs/heads/main',
} as const;

export function circleciClaims(input: CircleciClaimInput = {}): CircleciClaims {
  const orgId = input.orgId ?? CIRCLECI_DEFAULTS.orgId;
  const projectId = input.projectId ?? CIRCLECI_DEFAULTS.projectId;
  const userId = input.userId ?? CIRCLECI_DEFAULTS.userId;
  const vcsOrigin = input.vcsOrigin === undefined ? CIRCLECI_DEFAULTS.vcsOrigin : input.vcsOrigin;
  const vcsRef = input.vcsRef === undefined ? CIRCLECI_DEFAULTS.vcsRef : input.vcsRef;
  let sub = `org/${orgId}/project/${projectId}/user/${userId}`;
  if (input.subjectFormat === 'v2' && vcsOrigin !== null && vcsRef !== null) {
    sub += `/vcs-origin/${vcsOrigin}/vcs-ref/${vcsRef}`;
  }
  const iat = input.now ?? nowSec();
  const claims: CircleciClaims = {
    iss: input.issuer ?? circleciIssuer(orgId),
    sub,
    aud: input.audience ?? orgId,
    iat,
    exp: iat + (input.lifetimeSec ?? 3600),
    'oidc.circleci.com/org-id': orgId,
    'oidc.circleci.com/project-id': projectId,
    'oidc.circleci.com/pipeline-id': input.pipelineId ?? CIRCLECI_DEFAULTS.pipelineId,
    'oidc.circleci.com/pipeline-definition-id':
      input.pipelineDefinitionId ?? CIRCLECI_DEFAULTS.pipelineDefinitionId,
    'oidc.circleci.com/context-ids': input.contextIds ?? [CIRCLECI_DEFAULTS.contextId],
    ...(vcsOrigin !== null ? { 'oidc.circleci.com/vcs-origin': vcsOrigin } : {}),
    ...(vcsRef !== null ? { 'oidc.circleci.com/vcs-ref': vcsRef } : {}),
    'oidc.circleci.com/ssh-rerun': input.sshRerun ?? false,
  };
  return claims;
}

// ---------------------------------------------------------------------------------------------
// Per-platform lookup
// ---------------------------------------------------------------------------------------------

export type ClaimsFor<P extends Platform> = P extends 'github'
  ? GithubClaims
  : P extends 'gitlab'
    ? GitlabClaims
    : CircleciClaims;

export type ClaimInputFor<P extends Platform> = P extends 'github'
  ? GithubClaimInput
  : P extends 'gitlab'
    ? GitlabClaimInput
    : CircleciClaimInput;

export function claimsFor<P extends Platform>(platform: P, input: ClaimInputFor<P>): ClaimsFor<P> {
  switch (platform) {
    case 'github':
      return githubClaims(input as GithubClaimInput) as ClaimsFor<P>;
    case 'gitlab':
      return gitlabClaims(input as GitlabClaimInput) as ClaimsFor<P>;
    default:
      return circleciClaims(input as CircleciClaimInput) as ClaimsFor<P>;
  }
}

/** The real issuer of each platform (`iss`), independent of where the double listens. */
export function defaultIssuerUrl<P extends Platform>(platform: P, input: ClaimInputFor<P>): string {
  switch (platform) {
    case 'github':
      return GITHUB_ISSUER;
    case 'gitlab':
      return GITLAB_ISSUER;
    default:
      return circleciIssuer((input as CircleciClaimInput).orgId ?? CIRCLECI_DEFAULTS.orgId);
  }
}
