import type { JoinMethod } from './join-methods';

export interface CiInfo {
  /** `github`, `gitlab`, `circleci`, `jenkins`, `bitbucket`, `azure`, or `local`. */
  name: string;
  /** The join method whose ID token this CI provides, if it has one. */
  joinMethod?: JoinMethod;
  /** Identifies the job, so state from one command reaches `cleanup` in the same job. */
  jobId: string;
}

/** Which CI runs us, from the variables each one sets. */
export function detectCi(env: NodeJS.ProcessEnv): CiInfo {
  if (env.GITHUB_ACTIONS === 'true') {
    return {
      name: 'github',
      joinMethod: 'github',
      jobId: `${env.GITHUB_RUN_ID}-${env.GITHUB_JOB}`,
    };
  }
  if (env.GITLAB_CI) return { name: 'gitlab', joinMethod: 'gitlab', jobId: env.CI_JOB_ID ?? 'job' };
  if (env.CIRCLECI) {
    return {
      name: 'circleci',
      joinMethod: 'circleci',
      jobId: env.CIRCLE_WORKFLOW_JOB_ID ?? env.CIRCLE_BUILD_NUM ?? 'job',
    };
  }
  if (env.BITBUCKET_BUILD_NUMBER) {
    return {
      name: 'bitbucket',
      joinMethod: 'bitbucket',
      jobId: `${env.BITBUCKET_BUILD_NUMBER}-${env.BITBUCKET_STEP_UUID ?? ''}`,
    };
  }
  if (env.TF_BUILD)
    return { name: 'azure', joinMethod: 'azure_devops', jobId: env.BUILD_BUILDID ?? 'job' };
  // Jenkins has no ambient ID token: the join method must be given.
  if (env.JENKINS_URL) return { name: 'jenkins', jobId: env.BUILD_TAG ?? 'job' };
  return { name: 'local', jobId: 'local' };
}
