import { untrustedText } from '../platform/untrusted-text';
import type { IssuedIdentity } from '../tbot/certificate';

/**
 * A value as inline code in a table cell: names in a certificate come from the server, so a
 * backtick or a pipe must not end the code span or the cell.
 */
function code(value: string): string {
  return `\`${untrustedText(value).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/** A collapsed section under the table: what to check when the credentials are refused. */
export interface SummaryDetails {
  title: string;
  /** Markdown list items (already safe to render). */
  items: string[];
}

/** The job summary of one auth step: who joined, with which roles, until when, and where. */
export function summaryTable(
  action: string,
  who: IssuedIdentity | undefined,
  rows: Array<[string, string]>,
  details?: SummaryDetails,
): string {
  const lines = [`### Teleport ${action}`, '', '| | |', '| --- | --- |'];
  if (who) {
    lines.push(`| Bot | ${code(who.bot ?? who.user)} |`);
    lines.push(`| Roles | ${who.roles.map(code).join(', ') || "all of the bot's"} |`);
    lines.push(`| Expires | ${who.expires.toISOString()} |`);
  }
  for (const [k, v] of rows) lines.push(`| ${k} | ${code(v)} |`);
  if (details && details.items.length > 0) {
    lines.push('', `<details><summary>${details.title}</summary>`, '');
    for (const item of details.items) lines.push(`- ${item}`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
