/** Public types of the local GitHub Actions runner emulation. */

export type RunnerOs = 'Linux' | 'macOS' | 'Windows';
export type RunnerArch = 'X64' | 'ARM64' | 'ARM' | 'X86';

export interface RunnerOptions {
  /** Where `uses: ./packages/x` resolves. */
  repoRoot: string;
  /** Per-job root for RUNNER_TEMP, GITHUB_WORKSPACE and the step files; default a fresh temp dir. */
  workDir?: string;
  /** GITHUB_WORKSPACE (cwd of steps); default `<workDir>/workspace`, created empty. */
  workspace?: string;
  /** RUNNER_TOOL_CACHE; default `<workDir>/toolcache`. Share one across jobs to test caching. */
  toolCache?: string;
  /** Extra machine env. GITHUB_REPOSITORY, GITHUB_REF, GITHUB_ACTOR, GITHUB_WORKFLOW, ... here
   * override the emulated run's github context. */
  env?: Record<string, string>;
  /** Gives ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN to jobs whose permissions grant `id-token: write`. */
  idToken?: { url: string; token: string };
  /** ACTIONS_STEP_DEBUG / RUNNER_DEBUG. */
  debug?: boolean;
  /** Default 120000; a step that runs longer is killed and fails. `timeout-minutes` wins. */
  stepTimeoutMs?: number;
  runnerOs?: RunnerOs;
  runnerArch?: RunnerArch;
  /** The `secrets` context; every value is masked. `GITHUB_TOKEN` defaults to a fake token. */
  secrets?: Record<string, string>;
  /** The `vars` context. */
  vars?: Record<string, string>;
  /**
   * Local copies of remote actions, `'owner/repo@ref'` → folder: `uses: owner/repo@ref` and
   * `uses: owner/repo/path@ref` run from a copy of it under `<workDir>/_actions/`. Nothing is
   * downloaded; an unmapped remote action fails the step.
   */
  remoteActions?: Record<string, string>;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  /** `title`, `file`, `line`, `col`, `endLine`, `endColumn` when the command gave them. */
  properties?: Record<string, string>;
}

export interface StepResult {
  id?: string;
  name: string;
  phase: 'main' | 'post';
  status: 'success' | 'failure' | 'skipped';
  /** `outcome` before continue-on-error is applied ('failure' while status may be 'success'). */
  outcome: 'success' | 'failure' | 'skipped';
  exitCode: number | null;
  outputs: Record<string, string>;
  /** As the user sees it: masked, workflow commands rendered. */
  log: string;
  /** stdout+stderr exactly as the process printed, unmasked. */
  rawLog: string;
  annotations: Annotation[];
  durationMs: number;
  /** True when the step was killed for running past its timeout. */
  timedOut?: boolean;
}

export interface JobResult {
  status: 'success' | 'failure';
  /** Main steps then post steps, in run order. */
  steps: StepResult[];
  log: string;
  rawLog: string;
  /** Concatenated step summaries (masked). */
  summary: string;
  /** From GITHUB_ENV. */
  env: Record<string, string>;
  /** GITHUB_PATH additions, newest first. */
  path: string[];
  /** All steps' annotations, in order. */
  annotations: Annotation[];
  workDir: string;
}
