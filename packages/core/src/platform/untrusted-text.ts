// Text that came from a server (a proxy's /webapi/find, tbot's output relaying a server's
// words) must not steer what shows it: ANSI escapes repaint or hide a terminal's lines, and on
// GitHub a line starting with `::` is a workflow command (`::set-output`, `::add-path`, ...).

// CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ESC \`), and two-character escapes.
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const CONTROL_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A server's value, made safe to show on one line: escapes gone, control characters as `?`. */
export function untrustedText(value: string): string {
  return neutraliseCommands(value.replace(ANSI, '').replace(CONTROL_ONE_LINE, '?'));
}

/**
 * A log message, made safe to print: escapes and control characters other than new lines and
 * tabs removed, and no line able to start a workflow command.
 */
export function safeLogLines(message: string): string {
  return neutraliseCommands(
    message.replace(ANSI, '').replace(/\r\n/g, '\n').replace(CONTROL_KEEP_LINES, '?'),
  );
}

function neutraliseCommands(text: string): string {
  // A workflow command must start its line with `::`; a space in between makes it text.
  return text.replace(/^(\s*):(?=:)/gm, '$1: ');
}
