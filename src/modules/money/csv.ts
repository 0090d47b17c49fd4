import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { QueryTypes, type Transaction } from 'sequelize';
import { stringify } from 'csv-stringify';
import { sequelize } from '../../db/connection.js';

/**
 * Streamed CSV: rows are read in keyset batches and piped through csv-stringify with backpressure,
 * so an export of a million rows holds one batch in memory, never the whole file.
 */
export const CSV_BATCH = 2000;

/**
 * Spreadsheet formula injection: a cell that starts with = + - @ tab or CR is run as a formula by
 * Excel/Sheets/LibreOffice; a leading apostrophe makes it text. Plain numbers ("-12.50") cannot be
 * formulas and stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function neutralise(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

export interface CsvColumn<R> { header: string; value: (row: R) => unknown }

/** Writes `rows` as CSV to `out` (an HTTP response or any writable), resolving when the last byte is handed over. */
export async function writeCsv<R>(out: Writable, columns: CsvColumn<R>[], rows: AsyncIterable<R>): Promise<void> {
  const stringifier = stringify({ header: true, columns: columns.map((c) => c.header), bom: false });
  const cells = Readable.from((async function* () {
    for await (const row of rows) yield columns.map((c) => neutralise(c.value(row)));
  })());
  await pipeline(cells, stringifier, out);
}

/**
 * Keyset batches of a SELECT that exposes `id` (bigint, ascending): `sql` gets `:after` and `:limit`
 * and must end with `... AND <alias>.id > :after ORDER BY <alias>.id LIMIT :limit`.
 */
export async function* batches<R extends { id: number | string }>(
  sql: string, replacements: Record<string, unknown>, opts: { batch?: number; transaction?: Transaction } = {},
): AsyncGenerator<R> {
  const limit = opts.batch ?? CSV_BATCH;
  for (let after = 0; ;) {
    const rows = await sequelize().query<R>(sql, {
      replacements: { ...replacements, after, limit }, type: QueryTypes.SELECT, transaction: opts.transaction,
    });
    for (const row of rows) yield row;
    if (rows.length < limit) return;
    after = Number(rows[rows.length - 1]!.id);
  }
}
