/**
 * The component project's own `.gitlab-ci.yml` (what GitLab's CI/CD catalog runs): valid for
 * GitLab's CI schema, and gitlab-ci-local creates its pipeline, including the components from the
 * commit under test, with and without a cluster configured.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ComponentRepo, componentDir, makeComponentRepo } from './harness';
import { gitlabCiValidator } from './schema';

let repo: ComponentRepo;
let pipelineText: string;

beforeAll(async () => {
  pipelineText = await readFile(join(componentDir, '.gitlab-ci.yml'), 'utf8');
  repo = await makeComponentRepo({ files: { '.gitlab-ci.yml': pipelineText } });
});
afterAll(async () => {
  await repo?.cleanup();
});

const CLUSTER = {
  TELEPORT_CLUSTER: 'teleport.example.com',
  TELEPORT_PROXY: 'teleport.example.com:443',
  TELEPORT_TOKEN: 'gitlab-components',
  TELEPORT_NODE: 'node1',
  TELEPORT_LOGIN: 'ci',
};

describe("the component project's .gitlab-ci.yml", () => {
  it("is valid for GitLab's CI schema", async () => {
    const validate = await gitlabCiValidator();
    const ok = validate(parse(pipelineText));
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('includes its own components at the commit under test, each job in an image without or with Node.js', async () => {
    const out = await repo.preview({ variables: CLUSTER });
    const jobs = Object.keys(out).filter((k) => !k.startsWith('.') && typeof out[k] === 'object');
    expect(jobs).toEqual(
      expect.arrayContaining(['auth-template', 'auth-template-node', 'ssh-component', 'release']),
    );
    const auth = out['auth-template'] as { image?: unknown; before_script?: string[] };
    expect(JSON.stringify(auth.image)).toContain('buildpack-deps:bookworm-curl');
    expect((auth.before_script ?? []).join('\n')).toContain('teleport_ci_find');
    const ssh = out['ssh-component'] as { stage?: string; variables?: Record<string, string> };
    expect(ssh.stage).toBe('test');
    expect(ssh.variables?.TELEPORT_SSH_TARGET).toBe(
      '$TELEPORT_LOGIN@$TELEPORT_NODE.$TELEPORT_CLUSTER',
    );
  });

  it('without a cluster configured, no job needs one: the pipeline still validates the includes', async () => {
    const none = await repo.run(['--list']);
    expect(none.code, none.output).toBe(0);
    expect(none.output).not.toMatch(/^(auth-template|ssh-component|release)\s/m);
    const configured = await repo.run(['--list'], { variables: CLUSTER });
    expect(configured.output).toMatch(/^auth-template\s+test\s+on_success/m);
    expect(configured.output).toMatch(/^auth-template-node\s+test\s+on_success/m);
    expect(configured.output).toMatch(/^ssh-component\s+test\s+on_success/m);
  });

  it('a semver tag runs the release job, which publishes to the catalog', async () => {
    const out = await repo.preview({ variables: { CI_COMMIT_TAG: '1.2.3' } });
    const release = out.release as { release?: { tag_name?: string } };
    expect(release.release?.tag_name).toBe('$CI_COMMIT_TAG');
    const tagged = await repo.run(['--list'], { variables: { CI_COMMIT_TAG: '1.2.3' } });
    expect(tagged.output).toMatch(/^release\s+release\s+on_success/m);
    const notSemver = await repo.run(['--list'], { variables: { CI_COMMIT_TAG: 'v1.2' } });
    expect(notSemver.output).not.toMatch(/^release\s/m);
  });
});
