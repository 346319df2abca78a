// tsh's tables (lib/asciitable): MakeTable / MakeTableWithTruncatedColumn, rendered by Go's
// text/tabwriter with minwidth 5, tabwidth 0, padding 1 and ' ' (`tabwriter.NewWriter(&buf, 5,
// 0, 1, ' ', 0)`): every cell, the last included, is padded to its column's width, which is the
// widest cell plus one, at least 5. Header, a line of dashes as wide as each column's widest
// cell, then the rows.

interface Column {
  title: string;
  /** 0: never truncated. */
  maxCellLength: number;
  width: number;
}

export interface Table {
  columns: Column[];
  rows: string[][];
}

const len = (s: string) => [...s].length;

function truncateCell(c: Column, cell: string): string {
  if (c.maxCellLength === 0 || len(cell) <= c.maxCellLength) return cell;
  return `${[...cell].slice(0, c.maxCellLength).join('')}...`;
}

function addRow(t: Table, row: string[]): void {
  const limit = Math.min(row.length, t.columns.length);
  for (let i = 0; i < limit; i++) {
    const c = t.columns[i] as Column;
    c.width = Math.max(len(truncateCell(c, row[i] ?? '')), c.width);
  }
  t.rows.push(row.slice(0, limit));
}

/** asciitable.MakeTable. */
export function makeTable(headers: string[], rows: string[][] = []): Table {
  const t: Table = {
    columns: headers.map((h) => ({ title: h, maxCellLength: 0, width: len(h) })),
    rows: [],
  };
  for (const row of rows) addRow(t, row);
  return t;
}

/**
 * asciitable.MakeTableWithTruncatedColumn: the other columns keep up to
 * (width - 16) / (columns - 1) characters, the truncated one gets what is left of the terminal
 * width (80 when stdin is not a terminal, as in CI).
 */
export function makeTableWithTruncatedColumn(
  columnOrder: string[],
  rows: string[][],
  truncatedColumn: string,
  width = terminalWidth(),
): Table {
  const maxColWidth = Math.trunc((width - 16) / (columnOrder.length - 1));
  let totalLen = 0;
  const columns: Column[] = columnOrder.map((title, index) => {
    const column: Column = { title, maxCellLength: len(title), width: len(title) };
    if (title === truncatedColumn) return column;
    for (const row of rows)
      column.maxCellLength = Math.max(column.maxCellLength, len(row[index] ?? ''));
    if (column.maxCellLength > maxColWidth) {
      column.maxCellLength = maxColWidth;
      totalLen += column.maxCellLength + 4; // "...<space>"
    } else {
      totalLen += column.maxCellLength + 1; // the column separator
    }
    return column;
  });
  for (const c of columns) {
    if (c.title === truncatedColumn)
      c.maxCellLength = Math.max(width - totalLen - '... '.length, 0);
  }
  const t: Table = { columns, rows: [] };
  for (const row of rows) addRow(t, row);
  return t;
}

/** term.GetSize(stdin), else 80. */
function terminalWidth(): number {
  const cols = process.stdin.isTTY ? process.stdout.columns : 0;
  return cols && cols > 0 ? cols : 80;
}

/** Table.AsBuffer: tabwriter(minwidth 5, tabwidth 0, padding 1, ' '). */
export function render(t: Table): string {
  const lines: string[][] = [];
  if (t.columns.some((c) => c.title !== '')) {
    lines.push(t.columns.map((c) => c.title));
    lines.push(t.columns.map((c) => '-'.repeat(c.width)));
  }
  for (const row of t.rows)
    lines.push(row.map((cell, i) => truncateCell(t.columns[i] as Column, cell)));
  const widths = t.columns.map((_, i) =>
    Math.max(5, ...lines.map((l) => (l[i] === undefined ? 0 : len(l[i] as string) + 1))),
  );
  return lines
    .map((l) => `${l.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - len(cell))).join('')}\n`)
    .join('');
}
