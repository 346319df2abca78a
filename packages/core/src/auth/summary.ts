import type { IssuedIdentity } from '../tbot/certificate';

/** The job summary of one auth step: who joined, with which roles, until when, and where. */
export function summaryTable(
  action: string,
  who: IssuedIdentity | undefined,
  rows: Array<[string, string]>,
): string {
  const lines = [`### Teleport ${action}`, '', '| | |', '| --- | --- |'];
  if (who) {
    lines.push(`| Bot | \`${who.bot ?? who.user}\` |`);
    lines.push(`| Roles | ${who.roles.map((r) => `\`${r}\``).join(', ') || "all of the bot's"} |`);
    lines.push(`| Expires | ${who.expires.toISOString()} |`);
  }
  for (const [k, v] of rows) lines.push(`| ${k} | \`${v}\` |`);
  return `${lines.join('\n')}\n`;
}
