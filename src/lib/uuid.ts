const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical uuid string: checked before a uuid column is queried, so junk is a 404, not a cast error. */
export const isUuid = (value: string): boolean => UUID.test(value);
