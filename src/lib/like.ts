/** A LIKE pattern matching `text` anywhere, with LIKE's own wildcards (\ % _) in `text` escaped. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
