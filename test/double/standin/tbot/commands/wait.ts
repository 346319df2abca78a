// `tbot wait --diag-addr=<addr> [--service=<name>] [--timeout=30s]` (18+, teleport-behaviour.md §1.3): polls the
// diagnostics `/wait` endpoint until the bot (or one service) is ready; exit 1 when unhealthy,
// unreachable past the timeout, or timed out.
import { request } from 'node:http';
import type { Parsed } from '../cli/parse';
import { formatGoDuration } from '../config/duration';
import { TbotError } from '../errors';

function get(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export async function waitCommand(p: Parsed): Promise<void> {
  const addr = String(p.flags['diag-addr']);
  const service = typeof p.flags.service === 'string' ? p.flags.service : '';
  const timeoutNs = typeof p.flags.timeout === 'number' ? p.flags.timeout : 30e9;
  const deadline = Date.now() + timeoutNs / 1e6;
  const url = `http://${addr}/wait${service ? `/${encodeURIComponent(service)}` : ''}`;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await get(url, Math.max(1, deadline - Date.now()));
      if (r.status === 200) return;
      const body = JSON.parse(r.body) as { status?: string; error?: string; reason?: string };
      throw new TbotError(
        body.error ??
          `tbot is ${body.status ?? 'unhealthy'}${body.reason ? `: ${body.reason}` : ''}`,
      );
    } catch (err) {
      if (err instanceof TbotError) throw err;
      last = (err as Error).message;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new TbotError(
    `timed out after ${formatGoDuration(timeoutNs)} waiting for tbot at ${addr}${last ? ` (${last})` : ''}`,
  );
}
