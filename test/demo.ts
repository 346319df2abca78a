/**
 * `npm run demo`: starts the Teleport double, runs a real workflow file through the GitHub
 * runner emulation with the committed `setup` bundle, and prints what a user would see.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDouble } from './double';
import { runWorkflow } from './runner';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const workflowPath = join(repoRoot, 'test', 'demo', 'setup-workflow.yml');

const double = await startDouble({
  proxy: { serverVersion: '17.4.2', clusterName: 'teleport.example.test' },
});
try {
  console.log(`Teleport double: proxy https://${double.proxy.addr}, CDN ${double.cdn.baseUrl}\n`);
  console.log(
    `Workflow (${workflowPath.slice(repoRoot.length)}):\n${await readFile(workflowPath, 'utf8')}`,
  );
  const job = await runWorkflow(workflowPath, {
    repoRoot,
    env: double.env,
    vars: { TELEPORT_PROXY: double.proxy.addr },
  });
  console.log('──── job log ────');
  console.log(job.log.trimEnd());
  console.log('\n──── step outputs ────');
  for (const step of job.steps.filter((s) => Object.keys(s.outputs).length > 0)) {
    for (const [k, v] of Object.entries(step.outputs))
      console.log(`${step.id ?? step.name}.${k} = ${v}`);
  }
  console.log('\n──── job summary ────');
  console.log(job.summary.trimEnd());
  console.log(`\nJob ${job.status}.`);
  process.exitCode = job.status === 'success' ? 0 : 1;
} finally {
  await double.close();
}
