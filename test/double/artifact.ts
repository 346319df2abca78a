// What a Teleport release artifact is called and what it contains: the naming and layout
// rules of cdn.teleport.dev (teleport-behaviour.md §6.1, §6.3), kept apart from the code that builds files.

export type Edition = 'oss' | 'enterprise' | 'fips';
export type Os = 'linux' | 'darwin';
export type Arch = 'amd64' | 'arm64' | 'arm' | '386';
export type TarballSize = 'small' | 'bench';

export interface TarballSpec {
  /** Release version without the `v`, e.g. `17.4.2`. */
  version: string;
  edition: Edition;
  os: Os;
  arch: Arch;
  size: TarballSize;
}

export type ArtifactSpec = Omit<TarballSpec, 'size'>;

export const EDITIONS: readonly Edition[] = ['oss', 'enterprise', 'fips'];
export const OSES: readonly Os[] = ['linux', 'darwin'];
export const ARCHES: readonly Arch[] = ['amd64', 'arm64', 'arm', '386'];

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** Major version number of `17.4.2` → 17. */
export function majorOf(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '', 10);
}

/**
 * The CDN file name, teleport-behaviour.md §6.1: `teleport[-ent]-v<ver>-<os>-<arch>[-fips]-bin.tar.gz`.
 * FIPS builds only exist as Enterprise, so `fips` implies the `-ent` package name.
 */
export function artifactName(spec: ArtifactSpec): string {
  const pkg = spec.edition === 'oss' ? 'teleport' : 'teleport-ent';
  const fips = spec.edition === 'fips' ? '-fips' : '';
  return `${pkg}-v${spec.version}-${spec.os}-${spec.arch}${fips}-bin.tar.gz`;
}

const ARTIFACT_RE =
  /^(teleport|teleport-ent)-v([^-/]+(?:-[0-9A-Za-z.]+)?)-(linux|darwin)-(amd64|arm64|arm|386)(-fips)?-bin\.tar\.gz$/;

/** Reverse of {@link artifactName}; undefined for anything that is not a tarball name. */
export function parseArtifactName(name: string): ArtifactSpec | undefined {
  const m = ARTIFACT_RE.exec(name);
  if (!m) return undefined;
  const [, pkg, version, os, arch, fips] = m;
  if (!version || !SEMVER.test(version)) return undefined;
  // teleport-behaviour.md §6.1: a FIPS artifact is always named teleport-ent-...-fips.
  if (fips && pkg !== 'teleport-ent') return undefined;
  const edition: Edition = fips ? 'fips' : pkg === 'teleport-ent' ? 'enterprise' : 'oss';
  return { version, edition, os: os as Os, arch: arch as Arch };
}

/** Top folder inside the tarball, teleport-behaviour.md §6.3: `teleport/` for OSS, `teleport-ent/` otherwise. */
export function topFolder(spec: ArtifactSpec): string {
  return spec.edition === 'oss' ? 'teleport' : 'teleport-ent';
}

/**
 * Executables shipped in the tarball, teleport-behaviour.md §6.3: `BINS_default` plus `teleport-update` in
 * newer releases. The first release with teleport-update is unverified (teleport-behaviour.md §9); this
 * double ships it from 17.0 on (our choice).
 */
export function binaryNames(spec: ArtifactSpec): string[] {
  const names = ['teleport', 'tctl', 'tsh', 'tbot', 'fdpass-teleport'];
  if (majorOf(spec.version) >= 17) names.push('teleport-update');
  return names;
}

/**
 * Where a binary sits below the top folder. From v17 the darwin tarballs carry `tsh` and
 * `tctl` as signed app bundles, `tsh.app/Contents/MacOS/tsh`, and no bare `tsh`/`tctl`
 * (teleport-behaviour.md §6.3: Teleport's own darwin install scripts take `teleport` bare from
 * the tarball; installers of the v17+ darwin tarballs take `tsh`/`tctl` from the bundles).
 */
export function binaryPath(spec: ArtifactSpec, name: string): string {
  if (spec.os === 'darwin' && majorOf(spec.version) >= 17 && (name === 'tsh' || name === 'tctl')) {
    return `${name}.app/Contents/MacOS/${name}`;
  }
  return name;
}

/** The `Info.plist` of an app bundle in a darwin tarball (see {@link binaryPath}). */
export function bundleInfoPlist(name: string, spec: ArtifactSpec): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<plist version="1.0"><dict>',
    `<key>CFBundleExecutable</key><string>${name}</string>`,
    `<key>CFBundleIdentifier</key><string>com.gravitational.teleport.${name}</string>`,
    `<key>CFBundleShortVersionString</key><string>${spec.version}</string>`,
    '</dict></plist>',
    '',
  ].join('\n');
}

/**
 * Platforms this double publishes. Linux: all four GOARCHes (teleport-behaviour.md §6.1). FIPS: linux amd64
 * and arm64 only (our choice; the Go BoringCrypto builds are 64-bit). darwin: OSS and
 * Enterprise for amd64/arm64, never FIPS (our choice; CDN availability is unverified, §6.1).
 */
export function isPublished(spec: ArtifactSpec): boolean {
  if (spec.os === 'darwin') {
    return spec.edition !== 'fips' && (spec.arch === 'amd64' || spec.arch === 'arm64');
  }
  if (spec.edition === 'fips') return spec.arch === 'amd64' || spec.arch === 'arm64';
  return true;
}

/** Seven hex digits standing in for the git commit, stable per version (teleport-behaviour.md §1.4). */
export function gitShortSha(version: string): string {
  let h = 0x811c9dc5; // FNV-1a: tiny, deterministic, no imports needed.
  for (const ch of version) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').slice(0, 7);
}

/** The exact one-line `tbot version` output, teleport-behaviour.md §1.4 / §8.1. */
export function versionLine(spec: ArtifactSpec): string {
  const product = spec.edition === 'oss' ? 'Teleport' : 'Teleport Enterprise';
  const ver = spec.version;
  return `${product} v${ver} git:v${ver}-0-g${gitShortSha(ver)} go1.23.7`;
}
