/**
 * A local emulation of the GitHub Actions runner for end-to-end tests of the committed action
 * bundles: see README.md.
 */

export type {
  Annotation,
  JobResult,
  RunnerArch,
  RunnerOptions,
  RunnerOs,
  StepResult,
} from './types';
export { type RunActionOptions, runAction, runWorkflow } from './workflow';
