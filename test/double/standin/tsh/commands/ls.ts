// `tsh ls [labels]` (tool/tsh/common/tsh.go onListNodes / printNodesAsText): the nodes the
// identity's roles may see, from the proxy (GET /v1/double/nodes over mutual TLS), as
// `Node Name Address Labels` (labels sorted, `k=v` joined by commas; the Labels column truncated
// to the terminal width), or `-v` with the Node ID, or `--format names`.
import { NODES_PATH, type NodeListing, type NodesResponse } from '../../../auth/protocol';
import { TbotError } from '../../tbot/errors';
import { requestJson } from '../../tbot/net/client';
import { str, type TshArgs } from '../cli';
import { openSession } from '../session';
import { makeTable, makeTableWithTruncatedColumn, render } from '../table';

/** The newest `emptyNodesFooter` (tool/tsh/common/help.go), printed to stderr. */
export const EMPTY_NODES_FOOTER = `
  Not seeing nodes? Either no nodes are available or your user's roles do not match the labels of at least one node.

  Check with your Teleport cluster administrator that your user's roles should have nodes available.
  `;

/** sortedLabels: plain keys, then namespaced ones, then teleport.dev/ ones, each sorted. */
export function sortedLabels(labels: Record<string, string>): string {
  const plain: string[] = [];
  const namespaced: string[] = [];
  const teleport: string[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('teleport.dev/')) teleport.push(k);
    else if (k.includes('/')) namespaced.push(`${k}=${v}`);
    else plain.push(`${k}=${v}`);
  }
  const sort = (a: string[]) => a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return [...sort(plain), ...sort(namespaced), ...sort(teleport)].join(',');
}

/** `k=v[,k=v]` positional label filters (exact match of every pair). */
function parseLabelFilter(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    for (const pair of arg.split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new TbotError(`invalid label spec: ${pair}, should be key=value`);
      out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return out;
}

export function nodesTable(nodes: NodeListing[], verbose: boolean, width?: number): string {
  const rows = nodes.map((n) =>
    verbose
      ? [n.hostname, n.id, n.addr, sortedLabels(n.labels)]
      : [n.hostname, n.addr, sortedLabels(n.labels)],
  );
  const table = verbose
    ? makeTable(['Node Name', 'Node ID', 'Address', 'Labels'], rows)
    : makeTableWithTruncatedColumn(['Node Name', 'Address', 'Labels'], rows, 'Labels', width);
  // fmt.Println(t.AsBuffer().String()): one more newline after the table.
  return `${render(table)}\n`;
}

export async function lsCommand(p: TshArgs): Promise<void> {
  const format = (str(p, 'format') || 'text').toLowerCase();
  if (!['text', 'names', 'json', 'yaml'].includes(format)) {
    throw new TbotError(`unsupported format "${format}"`);
  }
  if (format === 'json' || format === 'yaml') {
    throw new TbotError(
      `"tsh ls --format ${format}" is not implemented by this Teleport double stand-in (text and names are)`,
    );
  }
  const filter = parseLabelFilter(p.args);
  const s = await openSession(p);
  const { nodes } = await requestJson<NodesResponse>(s.ep, 'GET', NODES_PATH, undefined, s.cert);
  const shown = nodes.filter((n) => Object.entries(filter).every(([k, v]) => n.labels[k] === v));
  if (format === 'names') {
    process.stdout.write(shown.map((n) => `${n.hostname}\n`).join(''));
  } else {
    process.stdout.write(nodesTable(shown, p.flags.verbose === true));
  }
  if (shown.length === 0) process.stderr.write(`${EMPTY_NODES_FOOTER}\n`);
}
