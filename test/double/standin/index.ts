// One switch point for what each stand-in binary does: `tbot` is the full stand-in (./tbot,
// bundled by ./tbot-bundle), `tsh` answers `version` and, with an identity file, `ls`, `ssh` and
// `proxy ssh` (./tsh, bundled by ./tsh-bundle); every other binary only answers `version`.
import { type ArtifactSpec, versionLine } from '../artifact';
import { TBOT_BUNDLE } from './tbot-bundle';
import { TSH_BUNDLE } from './tsh-bundle';
import { versionProgram } from './version-program';

export { PADDING_CLOSE, POLYGLOT_HEADER, standinHead } from './polyglot';

/** The stand-in tbot for one release: the bundle plus a call with the baked-in version. */
export function tbotProgram(spec: ArtifactSpec): string {
  const build = { version: spec.version, edition: spec.edition, versionLine: versionLine(spec) };
  return `// Teleport double stand-in for \`tbot\` ${spec.version} (${spec.edition}).
// See test/double/standin/README.md in teleport-ci-actions. Source: test/double/standin/tbot/.
${TBOT_BUNDLE}
__tbotStandin.main(${JSON.stringify(build)});
`;
}

/** The stand-in tsh for one release: the bundle plus a call with the baked-in version. */
export function tshProgram(spec: ArtifactSpec): string {
  const build = { version: spec.version, edition: spec.edition, versionLine: versionLine(spec) };
  return `// Teleport double stand-in for \`tsh\` ${spec.version} (${spec.edition}).
// See test/double/standin/README.md in teleport-ci-actions. Source: test/double/standin/tsh/.
${TSH_BUNDLE}
__tshStandin.main(${JSON.stringify(build)});
`;
}

/**
 * The JavaScript (CommonJS- and ESM-compatible, no `#!` header) of the stand-in for
 * `binaryName`. The tarball builder prepends the sh/JS polyglot header and appends size
 * padding in a block comment.
 */
export function standinProgram(binaryName: string, spec: ArtifactSpec): string {
  if (binaryName === 'tbot') return tbotProgram(spec);
  if (binaryName === 'tsh') return tshProgram(spec);
  return versionProgram(binaryName, spec);
}
