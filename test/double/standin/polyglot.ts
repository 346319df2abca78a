// Stand-in binaries are sh/JavaScript polyglots so they run wherever node is: sh reads line 2
// as the no-op `:` command, then execs node on the same file; node drops the `#!` line and
// reads line 2 as a string expression followed by a line comment. TELEPORT_DOUBLE_NODE names
// the node to use where a test keeps node off the PATH (a job image without Node.js).
export const POLYGLOT_HEADER = `#!/bin/sh\n':' //; exec "\${TELEPORT_DOUBLE_NODE:-node}" "$0" "$@"\n`;

// Size padding goes after the program inside one block comment (see ../padding).
export const PADDING_OPEN = '\n/* ';
export const PADDING_CLOSE = ' */\n';

/** Everything before the padding bytes of a stand-in binary. */
export function standinHead(program: string): string {
  return POLYGLOT_HEADER + program + (program.endsWith('\n') ? '' : '\n') + PADDING_OPEN;
}
