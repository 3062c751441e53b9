import { expect } from '@jest/globals';
import { CSV_BOM } from '@app/http';

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
export const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i++;
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
};

/** The body as text with its BOM (fetch's text() drops it). */
export const csvText = async (response: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());

/** A CSV response's rows as objects keyed by the header row; checks the BOM and CRLF ends. */
export const csvObjects = (text: string) => {
  expect(text.startsWith(CSV_BOM)).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(CSV_BOM.length));
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]])));
};
