import type { Transaction } from 'sequelize';
import { AuthUser, UserProfile, UserProfileInterest } from '../../models/index.js';

/**
 * The account of a phone number, created on first login. `INSERT … ON CONFLICT DO NOTHING` on the
 * unique username / user_id makes it idempotent however many verifications race; the row is then
 * read back locked so the caller sees the one that won.
 */
export async function ensureAccount(
  tx: Transaction, phoneNumber: string, now: Date,
): Promise<{ user: AuthUser; profile: UserProfile; created: boolean }> {
  const inserted = await AuthUser.bulkCreate(
    [{ username: phoneNumber, date_joined: now, is_active: true, created_at: now, updated_at: now }],
    { transaction: tx, ignoreDuplicates: true, returning: ['id'] },
  );
  const user = await AuthUser.findOne({ where: { username: phoneNumber }, transaction: tx, lock: tx.LOCK.UPDATE });
  const profile = await ensureProfile(tx, user!, now);
  return { user: user!, profile, created: inserted[0]?.id != null };
}

/** The user's profile row (created empty when missing), locked for the rest of the transaction. */
export async function ensureProfile(tx: Transaction, user: Pick<AuthUser, 'id' | 'username'>, now: Date): Promise<UserProfile> {
  await UserProfile.bulkCreate(
    [{ user_id: user.id, phone_number: user.username.startsWith('+') ? user.username : null, created_at: now, updated_at: now }],
    { transaction: tx, ignoreDuplicates: true },
  );
  return (await UserProfile.findOne({ where: { user_id: user.id }, transaction: tx, lock: tx.LOCK.UPDATE }))!;
}

/**
 * Complete = every field the ERD requires after signup is present: name, gender, 1–6 pictures and
 * 1–5 interests. Computed from the data, not trusted from a flag.
 */
export async function isProfileComplete(profile: UserProfile | null, transaction?: Transaction): Promise<boolean> {
  if (!profile || !profile.name || !profile.gender || (profile.profile_pictures ?? []).length === 0) return false;
  const interests = profile.interests?.length ?? (await UserProfileInterest.count({ where: { profile_id: profile.id }, transaction }));
  return interests > 0;
}
