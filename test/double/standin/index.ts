// One switch point for what each stand-in binary does. Later tasks swap in richer programs
// here (e.g. a full fake `tbot`); buildTarball only ever calls standinProgram().
import type { ArtifactSpec } from '../artifact';
import { versionProgram } from './version-program';

export { PADDING_CLOSE, POLYGLOT_HEADER, standinHead } from './polyglot';

/**
 * The JavaScript (CommonJS, no `#!` header) of the stand-in for `binaryName`. The tarball
 * builder prepends the sh/JS polyglot header and appends size padding in a block comment.
 * For now every binary is the version-only program.
 */
export function standinProgram(binaryName: string, spec: ArtifactSpec): string {
  return versionProgram(binaryName, spec);
}
