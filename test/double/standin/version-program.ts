// The first stand-in program: answers `<binary> version` like the real build and refuses
// everything else. It is plain CommonJS-style JavaScript run by node (see ./polyglot).
import { type ArtifactSpec, versionLine } from '../artifact';

export function versionProgram(binaryName: string, spec: ArtifactSpec): string {
  // JSON.stringify yields valid JS string literals for the baked-in values.
  const name = JSON.stringify(binaryName);
  const line = JSON.stringify(versionLine(spec));
  return `// Teleport double stand-in for \`${binaryName}\` ${spec.version} (${spec.edition}).
// It only knows \`version\`; see test/double/README.md in teleport-ci-actions.

// Extracted under a "type": "module" package.json, node loads this extensionless file as ESM,
// where \`require\` is undefined: fall back to process.getBuiltinModule (node >= 20.16).
const nodeRequire = typeof require === 'function' ? require : process.getBuiltinModule;
void nodeRequire;

const BINARY = ${name};
// teleport-behaviour.md §1.4: one line, "Teleport [Enterprise ]v<ver> git:<ref> <go version>".
const VERSION_LINE = ${line};

const args = process.argv.slice(2);
if (args[0] === 'version') {
  process.stdout.write(VERSION_LINE + '\\n');
} else {
  // teleport-behaviour.md §1.6: errors go to stderr as "ERROR: <message>" with exit code 1.
  const what = args.length > 0 ? '"' + BINARY + ' ' + args[0] + '"' : 'running without a command';
  process.stderr.write(
    'ERROR: ' + what + ' is not implemented yet by this Teleport double stand-in ' +
      '(it only answers "' + BINARY + ' version")\\n',
  );
  process.exitCode = 1;
}
`;
}
