import { describe, expect, it } from '@jest/globals';
import { CSV_BOM, csvCell, csvChunks, csvRecord, type CsvColumn } from './csv.util.js';

const collect = async (chunks: AsyncIterable<string>) => {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
};

async function* pagesOf<T>(...pages: T[][]) {
  for (const page of pages) yield page;
}

describe('csvCell', () => {
  it('writes plain text, numbers and booleans as they are, and null as an empty field', () => {
    expect(csvCell('in_audit')).toBe('in_audit');
    expect(csvCell(7)).toBe('7');
    expect(csvCell(-7)).toBe('-7');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes fields with a comma, a double quote, CR or LF and doubles inner quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
  ])('neutralises a formula: %j → %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('leaves a formula character after the first position alone', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('2026-11-30T00:00:00.000Z')).toBe('2026-11-30T00:00:00.000Z');
  });

  it('keeps UTF-8 text as it is', () => {
    expect(csvCell('Modèle 模型 ✓')).toBe('Modèle 模型 ✓');
  });
});

describe('csvRecord', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvRecord(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });
});

describe('csvChunks', () => {
  const columns: CsvColumn<{ id: number; name: string }>[] = [
    { header: 'id', value: (r) => r.id },
    { header: 'name', value: (r) => r.name },
  ];

  it('starts with the BOM and the header row, then one chunk per non-empty page', async () => {
    const chunks: string[] = [];
    for await (const chunk of csvChunks(columns, pagesOf([{ id: 1, name: 'a' }, { id: 2, name: '=b' }], [], [{ id: 3, name: 'c' }]))) chunks.push(chunk);
    expect(chunks).toEqual([`${CSV_BOM}id,name\r\n`, "1,a\r\n2,'=b\r\n", '3,c\r\n']);
  });

  it('writes only the header for no rows', async () => {
    await expect(collect(csvChunks(columns, pagesOf<{ id: number; name: string }>()))).resolves.toBe(`${CSV_BOM}id,name\r\n`);
  });

  it('asks for a page only when the consumer wants the next chunk', async () => {
    let asked = 0;
    async function* counting() {
      for (let i = 0; i < 3; i++) {
        asked++;
        yield [{ id: i, name: 'x' }];
      }
    }
    const iterator = csvChunks(columns, counting());
    await iterator.next();
    expect(asked).toBe(0);
    await iterator.next();
    expect(asked).toBe(1);
    await iterator.return(undefined);
    expect(asked).toBe(1);
  });
});
