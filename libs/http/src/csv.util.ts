/** One CSV column: its header and how a row's cell is read from an item. */
export interface CsvColumn<T> {
  header: string;
  value: (item: T) => string | number | boolean | null | undefined;
}

/**
 * The byte order mark that makes Excel read the file as UTF-8 (without it Excel assumes the
 * system's ANSI code page); LibreOffice, Numbers and Google Sheets skip it.
 */
export const CSV_BOM = '\uFEFF';

// OWASP "CSV Injection": a cell a spreadsheet would evaluate as a formula or a DDE call.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 field. Text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`
 * so a spreadsheet shows it as text; numbers and booleans are written as they are.
 */
export const csvCell = (value: string | number | boolean | null | undefined): string => {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** One record, CRLF-terminated (RFC 4180). */
export const csvRecord = (cells: ReadonlyArray<string | number | boolean | null | undefined>): string =>
  `${cells.map(csvCell).join(',')}\r\n`;

/**
 * A CSV document as text chunks: the BOM and header row, then one chunk per page of items.
 * Nothing is read ahead: each page is asked for when the consumer wants the next chunk.
 */
export async function* csvChunks<T>(columns: ReadonlyArray<CsvColumn<T>>, pages: AsyncIterable<readonly T[]>): AsyncGenerator<string> {
  yield CSV_BOM + csvRecord(columns.map((c) => c.header));
  for await (const items of pages) {
    if (items.length > 0) yield items.map((item) => csvRecord(columns.map((c) => c.value(item)))).join('');
  }
}
