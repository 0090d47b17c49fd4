import { hash, verify } from '@node-rs/argon2';

/** Staff passwords: argon2id with the library's defaults (memory-hard, salted). */
export const hashPassword = (plain: string): Promise<string> => hash(plain);

export async function verifyPassword(stored: string | null | undefined, plain: string): Promise<boolean> {
  if (!stored || !stored.startsWith('$argon2')) return false;
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}
