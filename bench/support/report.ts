/** Plain-text tables: the first column left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[], indent = '  '): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => format(cell)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    indent + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const [first, ...rest] = cells;
  return [line(first ?? []), indent + widths.map((w) => '-'.repeat(w)).join('  '), ...rest.map(line)].join('\n');
}

function format(cell: string | number | undefined): string {
  if (cell === undefined) return '-';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '-';
  return cell;
}

export function section(title: string): string {
  return `\n${title}\n${'='.repeat(title.length)}`;
}
