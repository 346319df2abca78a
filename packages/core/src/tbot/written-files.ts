import { statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import type { Output } from './config';

// The files each output type writes to a directory destination (teleport-behaviour.md §3), the same from 16 to
// 18; v18's extra `<cluster>.ssh_config`/`<cluster>.known_hosts` are not required, as nothing
// here reads them. tbot can exit 0 having written none of them (an output that failed
// silently, a destination elsewhere), and the step must not then succeed with outputs pointing
// into an empty folder.
const ARTIFACTS = ['key', 'key.pub', 'key-cert.pub', 'tlscert', 'identity'];
const CA_FILES = ['teleport-host-ca.crt', 'teleport-user-ca.crt', 'teleport-database-ca.crt'];

/** The files `output` must leave in its directory, relative to it. */
export function expectedFiles(output: Output): string[] {
  switch (output.type) {
    case 'identity':
      return [
        ...ARTIFACTS,
        ...CA_FILES,
        ...(output.ssh_config === 'off' ? [] : ['ssh_config', 'known_hosts']),
      ];
    case 'application':
      return [
        ...ARTIFACTS,
        ...CA_FILES,
        ...(output.specific_tls_naming ? ['tls.crt', 'tls.key', 'tls.cas'] : []),
      ];
    case 'database': {
      const byFormat: Record<string, string[]> = {
        tls: ['tls.crt', 'tls.key', 'tls.cas'],
        mongo: ['mongo.crt', 'mongo.cas'],
        cockroach: ['cockroach/node.key', 'cockroach/node.crt', 'cockroach/ca.crt'],
      };
      return [...ARTIFACTS, ...CA_FILES, ...(byFormat[output.format ?? ''] ?? [])];
    }
    case 'kubernetes':
    case 'kubernetes/v2':
      return [...ARTIFACTS, 'kubeconfig.yaml', 'teleport-host-ca.crt'];
  }
}

function nonEmptyFile(path: string): boolean {
  const info = statSync(path, { throwIfNoEntry: false });
  return Boolean(info?.isFile() && info.size > 0);
}

/**
 * Fails when tbot exited 0 but an output's directory lacks a file it must hold. A dozen
 * `stat`s: synchronous, as nothing else runs meanwhile (each async one costs a trip through
 * the event loop).
 */
export function checkOutputsWritten(outputs: Output[]): void {
  for (const output of outputs) {
    if (output.destination.type !== 'directory') continue;
    const dir = output.destination.path;
    const files = expectedFiles(output);
    const missing = files.filter((file) => !nonEmptyFile(join(dir, file)));
    if (missing.length === 0) continue;
    const named = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ', ...' : '');
    throw new UserError(
      `tbot exited successfully but did not write its ${output.type} output: ${dir} lacks ${missing.length} of ${files.length} files (${named}); run the step in debug mode to see tbot's log`,
    );
  }
}
