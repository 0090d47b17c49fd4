import { Op, type Transaction } from 'sequelize';
import { ValidationFailed, type FieldError } from '../../lib/errors.js';
import { EventInterest, UserProfileInterest, type UserProfile } from '../../models/index.js';
import { isUuid } from '../../lib/uuid.js';

/**
 * Resolves interest references (slug or uuid) to active interests, in the order given. Unknown or
 * retired references and duplicates are a 400 naming `event_interests.<index>`.
 */
export async function resolveInterests(refs: string[], transaction: Transaction): Promise<EventInterest[]> {
  const uuids = refs.filter((r) => isUuid(r)).map((r) => r.toLowerCase());
  const found = await EventInterest.findAll({
    where: { is_active: true, [Op.or]: [{ slug: refs }, ...(uuids.length ? [{ uuid: uuids }] : [])] },
    transaction,
  });
  const errors: FieldError[] = [];
  const chosen: EventInterest[] = [];
  refs.forEach((ref, i) => {
    const match = found.find((f) => f.slug === ref || f.uuid === ref.toLowerCase());
    if (!match) errors.push({ field: `event_interests.${i}`, message: `no active interest "${ref}"` });
    else if (chosen.some((c) => c.id === match.id)) errors.push({ field: `event_interests.${i}`, message: 'listed twice' });
    else chosen.push(match);
  });
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return chosen;
}

/** Replaces the profile's interests with `interests` (the M2M user_profile_interest rows). */
export async function replaceInterests(tx: Transaction, profile: UserProfile, interests: EventInterest[], now: Date): Promise<void> {
  await UserProfileInterest.destroy({ where: { profile_id: profile.id }, transaction: tx });
  await UserProfileInterest.bulkCreate(
    interests.map((i) => ({ profile_id: profile.id, eventinterest_id: i.id, created_at: now, updated_at: now })),
    { transaction: tx },
  );
}
