// Formatting the benchmark's figures and its one markdown table.

export function formatValue(value, unit) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  if (unit === 'items/s') return value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : value >= 1000 ? `${(value / 1e3).toFixed(1)}k` : value.toFixed(0);
  if (unit === 'ms') return value.toFixed(value < 1 ? 3 : value < 10 ? 2 : 1);
  if (unit === 'µs') return value.toFixed(2);
  if (unit === '%') return value.toFixed(2);
  if (unit === 'MB') return value.toFixed(1);
  return String(value);
}

/** "median (min–max) unit"; a single measurement as just "value unit". */
function formatSummary(entry, unit) {
  if (!entry) return '–';
  const middle = formatValue(entry.median, unit);
  if (entry.n === 1 || entry.min === entry.max) return `${middle} ${unit}`;
  return `${middle} ${unit} (${formatValue(entry.min, unit)}–${formatValue(entry.max, unit)})`;
}

function formatRatio(entry, difference, unit) {
  if (difference) {
    const signed = (value) => `${value >= 0 ? '+' : '−'}${formatValue(Math.abs(value), unit)}`;
    const range = difference.n === 1 ? '' : ` (${signed(difference.min)} to ${signed(difference.max)})`;
    return `${signed(difference.median)} ${unit}${range}`;
  }
  if (!entry) return '';
  if (entry.n === 1) return `${entry.median.toFixed(2)}×`;
  return `${entry.median.toFixed(2)}× (${entry.min.toFixed(2)}–${entry.max.toFixed(2)})`;
}

/** The markdown table of every row, in the order measured. */
export function markdownTable(rows) {
  const header = ['section', 'measure', 'value: median (min–max)', 'baseline', 'baseline: median (min–max)', 'ratio (or difference): median of rounds (min–max)', 'note'];
  const lines = rows.map((row) => [
    row.section,
    row.measure,
    formatSummary(row.value, row.unit),
    row.baselineName ?? '',
    row.baselineName ? formatSummary(row.baseline, row.unit) : '',
    formatRatio(row.ratio, row.difference, row.unit),
    row.note ?? '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [format(header), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`, ...lines.map(format)].join('\n');
}
