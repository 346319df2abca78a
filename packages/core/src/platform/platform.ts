import type { JoinMethod } from './join-methods';

/**
 * The seam between the engine and a CI system. Everything the engine needs from "the CI
 * platform" goes through this interface, so GitHub Actions, GitLab, CircleCI and Jenkins
 * differ only in how they implement it.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Optional live progress (a terminal bar); without it, progress goes to `info` lines. */
  progress?(done: number, total: number | undefined, mbPerSecond: number): void;
}

export interface CiPlatform {
  /** Short name shown in messages and summaries: `github`, `gitlab`, ... */
  readonly name: string;
  /** How tbot joins from this platform (`github`, `gitlab`, `circleci`, ...). */
  readonly joinMethod: JoinMethod;
  /** How to install tbot on this platform, for the 'tbot not found' error. */
  readonly setupHint?: string;
  /** Names tbot's telemetry helper, e.g. `gha:teleport-actions/auth`. */
  telemetryName(action: string): string;
  readonly log: Logger;
  /** The process environment the step runs in. */
  readonly env: NodeJS.ProcessEnv;

  /** An input's value, trimmed; `''` when the user gave none and there is no default. */
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  /** A variable for this and later steps of the job. */
  exportVariable(name: string, value: string): void;
  /** Prepends a folder to PATH for this and later steps. */
  addPath(dir: string): void;
  /** Asks the platform to hide this value wherever it would be printed. */
  setSecret(value: string): void;
  /** State handed from the main step to its post step. */
  saveState(name: string, value: string): void | Promise<void>;
  getState(name: string): string;
  /** Appends Markdown to the job summary (no-op where the platform has none). */
  appendSummary(markdown: string): Promise<void>;
  /** Runs `fn` inside a collapsible log group. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  isDebug(): boolean;
  /** The platform's OIDC ID token for `audience`. */
  getIDToken(audience: string): Promise<string>;
  /** Starts loading the code `getIDToken` runs, so that a request made soon after does not
   *  wait for it (where the platform loads it lazily). */
  preloadIDToken?(): void;
  /** Starts the ID token request for `audience` now; the next `getIDToken(audience)` takes
   *  its answer (or its error). For a request that would otherwise wait on other work. */
  prefetchIDToken?(audience: string): void;
  /** Marks the step failed with a one-line message. */
  fail(message: string): void;
  /** A per-job scratch folder the platform cleans (RUNNER_TEMP on GitHub). */
  tempDir(): string;
  /** The folder where installed tools are kept between jobs, if the platform has one. */
  toolCacheDir(): string | undefined;
}
