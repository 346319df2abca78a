/**
 * Regenerates each action README's input and output tables from its `action.yml`, between
 * `<!-- BEGIN GENERATED: inputs -->` / `<!-- END GENERATED: inputs -->` (and `outputs`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { actionPackages, repoRoot } from './build';

interface ActionYaml {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
}

const cell = (text: string) =>
  text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|');

export function inputsTable(action: ActionYaml): string {
  const rows = Object.entries(action.inputs ?? {}).map(([name, i]) => {
    const def = i.default === undefined || i.default === '' ? '' : `\`${i.default}\``;
    return `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${def} | ${cell(i.description ?? '')} |`;
  });
  return [
    '| Input | Required | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function outputsTable(action: ActionYaml): string {
  const rows = Object.entries(action.outputs ?? {}).map(
    ([name, o]) => `| \`${name}\` | ${cell(o.description ?? '')} |`,
  );
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

function replaceSection(readme: string, section: string, body: string, file: string): string {
  const begin = `<!-- BEGIN GENERATED: ${section} -->`;
  const end = `<!-- END GENERATED: ${section} -->`;
  const start = readme.indexOf(begin);
  const stop = readme.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${file} lacks the ${begin} ... ${end} markers`);
  return `${readme.slice(0, start + begin.length)}\n${body}\n${readme.slice(stop)}`;
}

/** The README text the generator would write for one action. */
export async function renderReadme(name: string): Promise<{ path: string; text: string }> {
  const dir = join(repoRoot, 'packages', name);
  const action = parse(await readFile(join(dir, 'action.yml'), 'utf8')) as ActionYaml;
  const path = join(dir, 'README.md');
  let text = await readFile(path, 'utf8');
  text = replaceSection(text, 'inputs', inputsTable(action), path);
  if (action.outputs) text = replaceSection(text, 'outputs', outputsTable(action), path);
  return { path, text };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of await actionPackages()) {
    const { path, text } = await renderReadme(name);
    await writeFile(path, text);
    console.log(`wrote ${path.slice(repoRoot.length)}`);
  }
}
