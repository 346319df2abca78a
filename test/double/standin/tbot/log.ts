// tbot's log lines (slog text handler, on stderr). Only a few messages are emitted; they help
// whoever reads a CI log, and tests never depend on them.

let debugEnabled = false;

export function setDebug(on: boolean): void {
  debugEnabled = on;
}

function line(level: string, component: string, message: string, fields: object): void {
  const kv = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}:${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const ts = new Date().toISOString();
  process.stderr.write(
    `${ts} ${level.padEnd(5)} [${component}] ${message}${kv ? ` ${kv}` : ''}\n`.replace(
      / +\n$/,
      '\n',
    ),
  );
}

export const log = {
  debug(component: string, message: string, fields: object = {}): void {
    if (debugEnabled) line('DEBUG', component, message, fields);
  },
  info(component: string, message: string, fields: object = {}): void {
    line('INFO', component, message, fields);
  },
  warn(component: string, message: string, fields: object = {}): void {
    line('WARN', component, message, fields);
  },
};
