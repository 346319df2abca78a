import { describe, expect, it } from 'vitest';
import { detectCi } from './detect-ci';

describe('which CI runs us', () => {
  it.each([
    [
      { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '7', GITHUB_JOB: 'deploy' },
      'github',
      'github',
      '7-deploy',
    ],
    [{ GITLAB_CI: 'true', CI_JOB_ID: '42' }, 'gitlab', 'gitlab', '42'],
    [{ CIRCLECI: 'true', CIRCLE_WORKFLOW_JOB_ID: 'abc' }, 'circleci', 'circleci', 'abc'],
    [
      { BITBUCKET_BUILD_NUMBER: '5', BITBUCKET_STEP_UUID: '{s}' },
      'bitbucket',
      'bitbucket',
      '5-{s}',
    ],
    [{ TF_BUILD: 'True', BUILD_BUILDID: '9' }, 'azure', 'azure_devops', '9'],
  ])('%j is %s', (env, name, joinMethod, jobId) => {
    expect(detectCi(env)).toEqual({ name, joinMethod, jobId });
  });

  it('Jenkins has no ambient ID token; elsewhere is local', () => {
    expect(detectCi({ JENKINS_URL: 'https://ci', BUILD_TAG: 'jenkins-x-1' })).toEqual({
      name: 'jenkins',
      jobId: 'jenkins-x-1',
    });
    expect(detectCi({})).toEqual({ name: 'local', jobId: 'local' });
  });
});
