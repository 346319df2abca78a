/**
 * THIRD-PARTY-NOTICES.md for a bundle: every npm package esbuild put into it, with its
 * version, its licence and the licence text it ships. Written beside the bundle, so what is
 * published carries the notices its licences ask for; `npm run check-generated` keeps it
 * current like the bundle itself.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { repoRoot } from './repo-root';

export const NOTICES_FILE = 'THIRD-PARTY-NOTICES.md';

/** The folder of the npm package a bundled input comes from (the innermost node_modules). */
export function packageDirOf(input: string): string | undefined {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const width = parts[at + 1]?.startsWith('@') ? 2 : 1;
  return parts.slice(0, at + 1 + width).join('/');
}

async function licenceText(dir: string): Promise<string | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const file = names
    .filter((n) => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(n))
    .sort((a, b) => a.length - b.length)[0];
  return file ? (await readFile(join(dir, file), 'utf8')).trim() : undefined;
}

/** The notices for what a build bundled, from its metafile. */
export async function thirdPartyNotices(metafile: Metafile, bundleName: string): Promise<string> {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = packageDirOf(input);
    if (dir) dirs.add(dir);
  }
  const entries: Array<{ id: string; text: string }> = [];
  for (const dir of dirs) {
    const pkg = JSON.parse(await readFile(join(repoRoot, dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const licence = pkg.license ?? 'no licence field';
    const text =
      (await licenceText(join(repoRoot, dir))) ?? `${licence} (the package ships no licence file)`;
    entries.push({
      id: `${pkg.name}@${pkg.version}`,
      text: `## ${pkg.name} ${pkg.version} (${licence})\n\n\`\`\`\n${text}\n\`\`\`\n`,
    });
  }
  // The same package at one version counts once, whichever copy esbuild took it from.
  const unique = [...new Map(entries.map((e) => [e.id, e])).values()].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  return [
    `# Third-party notices for ${bundleName}`,
    '',
    `This bundle includes the following ${unique.length} npm packages, each under its own licence.`,
    '',
    ...unique.map((e) => e.text),
  ].join('\n');
}
