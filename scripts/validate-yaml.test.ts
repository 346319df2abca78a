// Every action.yml and workflow file passes GitHub's schemas (via @action-validator/cli,
// offline), so a typo in a key is caught here rather than on a user's runner.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { actionPackages, repoRoot } from './build';

const exec = promisify(execFile);
const validator = join(repoRoot, 'node_modules', '.bin', 'action-validator');

async function validate(path: string): Promise<string> {
  try {
    await exec(validator, [path]);
    return 'ok';
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  }
}

const actions = await actionPackages();
const workflows = [
  ...(await readdir(join(repoRoot, '.github', 'workflows'))).map((f) =>
    join('.github', 'workflows', f),
  ),
  join('test', 'demo', 'deploy-workflow.yml'),
];

describe('YAML schemas', () => {
  it.each(actions)('packages/%s/action.yml', async (name) => {
    const text = await readFile(join(repoRoot, 'packages', name, 'action.yml'), 'utf8');
    expect(text).toMatch(/using: node24/);
    // The validator's schema (0.6.0) predates the node24 runtime GitHub added in 2025; it
    // knows node20, which is otherwise identical for the schema.
    const copy = join(await mkdtemp(join(tmpdir(), 'action-')), 'action.yml');
    await writeFile(copy, text.replace('using: node24', 'using: node20'));
    expect(await validate(copy)).toBe('ok');
  });
  it.each(workflows)('%s', async (file) => {
    const text = await readFile(join(repoRoot, file), 'utf8');
    // The validator's schema (0.6.0) also predates the `attestations` permission GitHub added
    // in 2024 for artifact attestations; the copy leaves that one line out, nothing else.
    const lagging = /^ +attestations: (read|write|none)\n/gm;
    if (!lagging.test(text)) {
      expect(await validate(join(repoRoot, file))).toBe('ok');
      return;
    }
    const copy = join(await mkdtemp(join(tmpdir(), 'workflow-')), 'workflow.yml');
    await writeFile(copy, text.replace(lagging, ''));
    expect(await validate(copy)).toBe('ok');
  });
});
