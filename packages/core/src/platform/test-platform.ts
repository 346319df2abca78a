import { tmpdir } from 'node:os';
import type { JoinMethod } from './join-methods';
import type { CiPlatform } from './platform';

/** A platform for unit tests that records everything the engine asks of it. */
export interface TestPlatform extends CiPlatform {
  outputs: Record<string, string>;
  exported: Record<string, string>;
  paths: string[];
  secrets: string[];
  /** Every log line, prefixed with its level (`info: ...`), groups as `group: <title>`. */
  lines: string[];
  state: Record<string, string>;
  failures: string[];
  summary: string[];
}

export function testPlatform(
  opts: {
    inputs?: Record<string, string>;
    env?: NodeJS.ProcessEnv;
    joinMethod?: JoinMethod;
    getIDToken?: (audience: string) => Promise<string>;
    tempDir?: string;
    debug?: boolean;
  } = {},
): TestPlatform {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
  const platform: TestPlatform = {
    name: 'test',
    joinMethod: opts.joinMethod ?? 'token',
    telemetryName: (action) => `test:${action}`,
    env: opts.env ?? {},
    log: {
      debug: record('debug'),
      info: record('info'),
      warning: record('warning'),
      error: record('error'),
    },
    outputs: {},
    exported: {},
    paths: [],
    secrets: [],
    lines,
    state: {},
    failures: [],
    summary: [],
    getInput: (name) => (opts.inputs?.[name] ?? '').trim(),
    setOutput: (name, value) => {
      platform.outputs[name] = value;
    },
    exportVariable: (name, value) => {
      platform.exported[name] = value;
    },
    addPath: (dir) => {
      platform.paths.push(dir);
    },
    setSecret: (value) => {
      platform.secrets.push(value);
    },
    saveState: (name, value) => {
      platform.state[name] = value;
    },
    getState: (name) => platform.state[name] ?? '',
    appendSummary: async (markdown) => {
      platform.summary.push(markdown);
    },
    group: async (title, fn) => {
      lines.push(`group: ${title}`);
      return fn();
    },
    isDebug: () => opts.debug ?? false,
    getIDToken: opts.getIDToken ?? (async () => Promise.reject(new Error('no ID token here'))),
    fail: (message) => {
      platform.failures.push(message);
    },
    tempDir: () => opts.tempDir ?? tmpdir(),
    toolCacheDir: () => undefined,
  };
  return platform;
}
