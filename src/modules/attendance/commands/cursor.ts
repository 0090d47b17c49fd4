import { ValidationFailed } from '../../../lib/errors.js';
import { decodeCursor } from '../../../lib/cursor.js';

/** The last id of the previous page (keyset on id), or null for the first page; junk is a 400 naming `cursor`. */
export function idCursor(cursor: string | undefined): number | null {
  const values = decodeCursor(cursor, 1);
  if (!values) return null;
  const id = values[0];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw ValidationFailed.field('cursor', 'is not a valid cursor');
  return id;
}
