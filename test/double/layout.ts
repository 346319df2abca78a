// The list of entries in a release tarball (teleport-behaviour.md §6.3), as data: the builder writes them and
// the cache key hashes them, so any change to a program or file rebuilds the cached tarballs.
import {
  type ArtifactSpec,
  binaryNames,
  binaryPath,
  bundleInfoPlist,
  type TarballSize,
  topFolder,
} from './artifact';
import {
  changelog,
  installScript,
  LICENSE_COMMUNITY,
  readme,
  SYSTEMD_UNIT,
  versionFile,
} from './release-files';
import { PADDING_CLOSE, standinHead, standinProgram } from './standin';

export interface TarballEntry {
  /** Path inside the archive, starting with the top folder. */
  path: string;
  mode: number;
  /** The file's text; for a padded binary, the text before the padding bytes. */
  content: string;
  /** Padding bytes written after `content`, followed by the comment close (binaries only). */
  padding?: number;
}

const MiB = 1024 * 1024;

/**
 * Uncompressed sizes of the real binaries (rough figures from real releases). teleport-update
 * is our estimate. With the padding's ~36 % gzip ratio a bench tarball lands near 180 MiB.
 */
export const BENCH_SIZES: Readonly<Record<string, number>> = {
  teleport: 190 * MiB,
  tctl: 100 * MiB,
  tsh: 95 * MiB,
  tbot: 90 * MiB,
  'fdpass-teleport': 2 * MiB,
  'teleport-update': 30 * MiB,
};

/** Padding per binary in `small` tarballs: enough to exercise the format, fast to build. */
export const SMALL_PADDING = 4096;

function paddingFor(name: string, head: string, size: TarballSize): number {
  if (size === 'small') return SMALL_PADDING;
  const total = BENCH_SIZES[name] ?? 50 * MiB;
  return Math.max(0, total - Buffer.byteLength(head) - PADDING_CLOSE.length);
}

export function tarballEntries(spec: ArtifactSpec & { size: TarballSize }): TarballEntry[] {
  const top = topFolder(spec);
  const bins = binaryNames(spec);
  const entries: TarballEntry[] = bins.flatMap((name) => {
    const content = standinHead(standinProgram(name, spec));
    const path = binaryPath(spec, name);
    const binary = { path: `${top}/${path}`, mode: 0o755, content };
    const padded = { ...binary, padding: paddingFor(name, content, spec.size) };
    if (path === name) return [padded];
    const plist = { path: `${top}/${name}.app/Contents/Info.plist`, mode: 0o644 };
    return [padded, { ...plist, content: bundleInfoPlist(name, spec) }];
  });
  entries.push(
    { path: `${top}/install`, mode: 0o755, content: installScript(bins) },
    { path: `${top}/VERSION`, mode: 0o644, content: versionFile(spec) },
    { path: `${top}/README.md`, mode: 0o644, content: readme(spec) },
    { path: `${top}/CHANGELOG.md`, mode: 0o644, content: changelog(spec) },
    // teleport-behaviour.md §6.3: the Makefile's build-archive copies LICENSE-community too.
    { path: `${top}/LICENSE-community`, mode: 0o644, content: LICENSE_COMMUNITY },
    { path: `${top}/examples/systemd/teleport.service`, mode: 0o644, content: SYSTEMD_UNIT },
  );
  return entries;
}
