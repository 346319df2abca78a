// Byte pipe between stdio and a TCP socket: what an ssh ProxyCommand does. A later stand-in
// `tbot ssh-proxy-command` (teleport-behaviour.md §3, ssh_config ProxyCommand) can call pipeToTcp once it has
// resolved the node; this file also runs directly as a ProxyCommand:
//   ProxyCommand '<node>' --import '<tsx loader>' '<abs>/pipe.ts' %h <port>   (see proxyCommand)
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface PipeStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * Connects to host:port and copies input -> socket and socket -> output until the server closes
 * the connection. End of input half-closes the socket (the server may still answer). Resolves
 * when the socket has closed; rejects on a connection error.
 */
export function pipeToTcp(
  host: string,
  port: number,
  streams: PipeStreams = { input: process.stdin, output: process.stdout },
): Promise<void> {
  const { input, output } = streams;
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, allowHalfOpen: true });
    sock.setNoDelay(true);
    let failed: Error | undefined;
    sock.on('error', (e) => {
      failed = e;
    });
    sock.on('connect', () => {
      input.pipe(sock);
    });
    sock.pipe(output, { end: false });
    sock.on('close', () => {
      input.unpipe(sock);
      if (input === process.stdin) process.stdin.pause();
      if (failed) reject(failed);
      else resolve();
    });
  });
}

/** The absolute path of this file (works under tsx and vitest, which keep real file URLs). */
export const PIPE_SCRIPT = fileURLToPath(import.meta.url);

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A ProxyCommand line that runs this file with Node + tsx and pipes to host:port. Use `%h` as
 * host to let ssh substitute the name it connects to. `%` in paths is doubled for ssh_config.
 */
export function proxyCommand(host: string, port: number | string): string {
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const esc = (s: string) => shellQuote(s).replace(/%/g, '%%');
  return [process.execPath, '--import', tsxLoader, PIPE_SCRIPT]
    .map(esc)
    .concat([host === '%h' ? '%h' : esc(host), String(port)])
    .join(' ');
}

// Run as a program: `pipe.ts <host> <port>`.
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [host, portText] = process.argv.slice(2);
  const port = Number(portText);
  if (!host || !Number.isInteger(port) || port <= 0) {
    process.stderr.write('usage: pipe.ts <host> <port>\n');
    process.exit(2);
  }
  pipeToTcp(host, port).then(
    () => process.exit(0),
    (e: Error) => {
      process.stderr.write(`pipe.ts: cannot connect to ${host}:${port}: ${e.message}\n`);
      process.exit(1);
    },
  );
}
