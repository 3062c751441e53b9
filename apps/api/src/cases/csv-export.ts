import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import type { Request } from 'express';
import { csvChunks, type CsvColumn } from '@app/http';

/** `Accept: text/csv` preferred to JSON (fetch's default, any type, stays JSON). */
export const wantsCsv = (request: Request): boolean => request.accepts(['application/json', 'text/csv']) === 'text/csv';

/** What the OpenAPI document says of every CSV export. */
export const CSV_EXPORT_DESCRIPTION =
  'RFC 4180, UTF-8 with a byte order mark, CRLF line ends, a header row; every page of the list from `cursor` on (`limit` does not cap it); a text cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `\'`.';

/**
 * A CSV download of every page: Nest pipes the stream to the response, so a page is read from
 * Postgres only when the client has taken the previous ones (backpressure), and a client that
 * goes away destroys the stream, which stops the walk.
 */
export const csvFile = <T>(columns: ReadonlyArray<CsvColumn<T>>, pages: AsyncIterable<readonly T[]>, basename: string): StreamableFile => {
  const day = new Date().toISOString().slice(0, 10);
  const stream = Readable.from(csvChunks(columns, pages), { objectMode: false });
  return new StreamableFile(stream, {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${basename.replace(/[^\w.-]/g, '_')}-${day}.csv"`,
  });
};
