/**
 * The shared library's JenkinsPipelineUnit tests (test/jenkins/pipeline-unit, a Maven project):
 * Maven runs them offline, from the artifacts `scripts/prereqs test` fetched into ~/.m2
 * (scripts/jenkins-test-deps). Each JUnit test must pass; this file fails with Surefire's
 * report of those that did not.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness';

const PROJECT = join(ROOT, 'test/jenkins/pipeline-unit');
const REPORTS = join(PROJECT, 'target/surefire-reports');

interface Suite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** The `<testsuite>` counts of each Surefire XML report. */
async function suites(): Promise<Suite[]> {
  const files = (await readdir(REPORTS).catch(() => [] as string[])).filter((f) =>
    /^TEST-.*\.xml$/.test(f),
  );
  return Promise.all(
    files.map(async (f) => {
      const head = /<testsuite\b[^>]*>/.exec(await readFile(join(REPORTS, f), 'utf8'))?.[0] ?? '';
      const count = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(head)?.[1]);
      return {
        name: /\bname="([^"]*)"/.exec(head)?.[1] ?? f,
        tests: count('tests'),
        failures: count('failures'),
        errors: count('errors'),
        skipped: count('skipped'),
      };
    }),
  );
}

function mvn(args: string[]): Promise<{ code: number | null; log: string }> {
  const child = spawn('mvn', args, { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    log += d.toString();
  });
  return new Promise((res) => child.on('close', (code) => res({ code, log })));
}

describe('JenkinsPipelineUnit tests of withTeleport', () => {
  it('pass under Maven, offline', async () => {
    const version = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
    if (version.error) {
      throw new Error(`mvn is not installed (${version.error.message}): run scripts/prereqs test`);
    }
    await rm(REPORTS, { recursive: true, force: true });
    const { code, log } = await mvn(['-B', '-q', '-o', '-Dstyle.color=never', 'test']);
    if (/in offline mode and the artifact .* has not been downloaded/.test(log)) {
      throw new Error(`Maven's artifacts are not fetched: run scripts/prereqs test\n${log}`);
    }
    const found = await suites();
    const failed = found.filter((s) => s.failures + s.errors > 0);
    expect(failed, log).toEqual([]);
    expect(code, log).toBe(0);
    expect(found.map((s) => s.name)).toEqual(['WithTeleportTest']);
    // Every test ran: none skipped, and the suite is not empty.
    expect(found[0]!.tests).toBeGreaterThanOrEqual(16);
    expect(found[0]!.skipped).toBe(0);
  }, 300_000);
});
