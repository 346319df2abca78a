/**
 * `npm run demo`: starts the Teleport double (CDN, proxy, auth, GitHub's ID token endpoint and a
 * real sshd), runs a user's workflow file through the GitHub runner emulation with the
 * committed bundles, and shows what the user would see, ending with the line that arrived on
 * the node.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../scripts/repo-root';
import { startDouble } from './double';
import { sshAvailable } from './double/ssh/preflight';
import { ensureLoginUser } from './double/ssh/users';
import { runWorkflow } from './runner';

const exec = promisify(execFile);
const workflowPath = join(repoRoot, 'test', 'demo', 'deploy-workflow.yml');

const ssh = await sshAvailable();
if (!ssh.ok) {
  console.error(
    `The demo's node runs a real sshd and needs: ${ssh.missing.join(', ')} (as root: apt-get install -y openssh-server).`,
  );
  process.exit(1);
}

// The job's folders (workspace, RUNNER_TEMP, tool cache), removed when the demo ends.
const workDir = await mkdtemp(join(tmpdir(), 'teleport-ci-demo-'));
const double = await startDouble({
  auth: true,
  proxy: { serverVersion: '17.4.2', clusterName: 'teleport.example.test' },
});
try {
  const auth = double.auth!;
  // The cluster side a Teleport admin sets up once (tctl create ...).
  auth.addRole({ name: 'ci-ssh', logins: ['ci-user'] });
  auth.addBot({ name: 'github-deployer', roles: ['ci-ssh'] });
  auth.addToken(`kind: token
version: v2
metadata: { name: github-bot }
spec:
  roles: [Bot]
  join_method: github
  bot_name: github-deployer
  github:
    allow:
      - repository: octo-org/octo-repo
`);
  await ensureLoginUser('ci-user');
  console.log(
    `Teleport double: proxy https://${double.proxy.addr}, CDN ${double.cdn.baseUrl}, node ${auth.node.fqdn} (sshd on 127.0.0.1:${auth.sshd?.port})\n`,
  );
  console.log(
    `Workflow (${workflowPath.slice(repoRoot.length)}):\n${await readFile(workflowPath, 'utf8')}`,
  );

  const token = double.github!.env();
  const runId = String(Date.now());
  const job = await runWorkflow(workflowPath, {
    repoRoot,
    workDir,
    env: { ...double.env, GITHUB_RUN_ID: runId },
    vars: { TELEPORT_PROXY: double.proxy.addr },
    idToken: {
      url: token.ACTIONS_ID_TOKEN_REQUEST_URL,
      token: token.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    },
  });
  console.log('──── job log ────');
  console.log(job.log.trimEnd());
  console.log('\n──── step outputs ────');
  for (const step of job.steps.filter(
    (s) => s.phase === 'main' && Object.keys(s.outputs).length > 0,
  )) {
    for (const [k, v] of Object.entries(step.outputs))
      console.log(`${step.id ?? step.name}.${k} = ${v}`);
  }
  console.log('\n──── job summary ────');
  console.log(job.summary.trimEnd());
  const { stdout } = await exec('bash', ['-c', 'tail -n 1 ~ci-user/run_log 2>/dev/null || true']);
  console.log(`\n──── on ${auth.node.fqdn}: ~ci-user/run_log ────`);
  console.log(
    stdout.trim() === runId
      ? `${stdout.trim()}   (this run's GITHUB_RUN_ID: it arrived)`
      : `(the line did not arrive: ${stdout.trim() || 'empty'})`,
  );
  console.log(`\nJob ${job.status}.`);
  process.exitCode = job.status === 'success' && stdout.trim() === runId ? 0 : 1;
} finally {
  await double.close();
  await rm(workDir, { recursive: true, force: true });
}
