import type { Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Forbidden, NotFound, ValidationFailed } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/uuid.js';
import { AuthUser, EventInterest, UserProfile } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { ensureProfile, isProfileComplete } from '../accounts.js';
import { replaceInterests, resolveInterests } from '../interests.js';
import { requireSelf } from '../policy.js';
import { staffAccounts } from '../staff-policy.js';
import type { ProfileChanges } from '../schema.js';

export interface ProfileView {
  profile: UserProfile;
  user: AuthUser;
  complete: boolean;
}

const SCALARS = ['name', 'gender', 'profile_pictures', 'bio', 'location', 'birth_date'] as const;

/** complete-profile: every required field at once; the profile becomes verified. */
export async function completeProfile(ctx: Context, input: ProfileChanges & Required<Pick<ProfileChanges, 'name' | 'gender' | 'profile_pictures' | 'event_interests'>>): Promise<ProfileView> {
  return changeProfile(ctx, requireSelf(ctx.actor).id, input, 'auth.complete_profile');
}

/** PATCH: only the fields sent change; nullable optional fields may be cleared with null. */
export async function updateProfile(ctx: Context, input: ProfileChanges): Promise<ProfileView> {
  return changeProfile(ctx, requireSelf(ctx.actor).id, input, 'auth.update_profile');
}

/** What staff may change on a member's profile from the panel: the pictures (a replacement, a removal). */
export type StaffProfileChanges = Pick<ProfileChanges, 'profile_pictures'>;

/**
 * Staff change a member's pictures through the same write path as the member (rules, lock, audit
 * with old and new values), under the staff account policy: only a superuser touches a superuser's.
 */
export async function updateProfileAsStaff(ctx: Context, profileUuid: string, input: StaffProfileChanges): Promise<ProfileView> {
  return withTransaction(ctx, async (tx, ctx) => {
    const profile = isUuid(profileUuid) ? await UserProfile.findOne({ where: { uuid: profileUuid }, attributes: ['user_id'], transaction: tx }) : null;
    const user = profile ? await AuthUser.findByPk(profile.user_id, { attributes: ['id', 'is_superuser'], transaction: tx }) : null;
    if (!user) throw new NotFound('Profile');
    staffAccounts.authorize(ctx.actor, 'edit', user, () => new Forbidden('You may not change this profile'));
    return changeProfile(ctx, user.id, { profile_pictures: input.profile_pictures }, 'auth.staff_update_profile');
  });
}

/** The caller's own profile. */
export async function getProfile(ctx: Context): Promise<ProfileView> {
  const actor = requireSelf(ctx.actor);
  const user = await AuthUser.findByPk(actor.id);
  const profile = await UserProfile.findOne({ where: { user_id: actor.id }, include: [interestsInclude] });
  if (!user || !profile) throw new NotFound('Profile');
  return { profile, user, complete: await isProfileComplete(profile) };
}

const interestsInclude = { model: EventInterest, as: 'interests', through: { attributes: [] } };

/**
 * The one path that writes a profile. All validation that needs the database or the clock happens
 * before the first write, and the whole change is one transaction, so an invalid field changes nothing.
 * The profile row is locked: concurrent edits apply one after the other, each audited with the
 * values it replaced.
 */
async function changeProfile(ctx: Context, userId: number, input: ProfileChanges, command: string): Promise<ProfileView> {
  if (input.birth_date) assertBirthDate(input.birth_date, ctx.now());
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const interests = input.event_interests ? await resolveInterests(input.event_interests, tx) : null;
    const user = await AuthUser.findByPk(userId, { transaction: tx });
    if (!user) throw new NotFound('Account');
    const profile = await ensureProfile(tx, user, now);
    const before = await snapshot(profile, tx);
    const changes: Partial<UserProfile> = {};
    for (const key of SCALARS) if (input[key] !== undefined) Object.assign(changes, { [key]: input[key] });
    await profile.update({ ...changes, updated_at: now }, { transaction: tx });
    if (interests) await replaceInterests(tx, profile, interests, now);
    const complete = await isProfileComplete(profile, tx);
    // ERD: completing the profile (after the phone was verified at login) marks it verified.
    if (complete && !profile.is_verified) await profile.update({ is_verified: true }, { transaction: tx });
    const after = await snapshot(profile, tx);
    const changed = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
    await audit(ctx, {
      action: 'profile_update', command, userId: user.id, object: { type: 'user_profile', id: profile.id, uuid: profile.uuid },
      oldValues: pick(before, changed), newValues: pick(after, changed),
    });
    await profile.reload({ include: [interestsInclude], transaction: tx });
    return { profile, user, complete };
  });
}

/** ERD: a birth date in the past and at least 13 years ago (dates compared as calendar days, UTC). */
function assertBirthDate(value: string, now: Date): void {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw ValidationFailed.field('birth_date', 'is not a calendar date');
  }
  const latest = new Date(Date.UTC(now.getUTCFullYear() - 13, now.getUTCMonth(), now.getUTCDate()));
  if (date.getTime() >= now.getTime()) throw ValidationFailed.field('birth_date', 'must be in the past');
  if (date.getTime() > latest.getTime()) throw ValidationFailed.field('birth_date', 'you must be at least 13 years old');
}

async function snapshot(profile: UserProfile, tx: Transaction): Promise<Record<string, unknown>> {
  const interests = await EventInterest.findAll({
    include: [{ model: UserProfile, as: 'profiles', where: { id: profile.id }, attributes: [], through: { attributes: [] } }],
    attributes: ['slug'], order: [['slug', 'ASC']], transaction: tx,
  });
  return {
    ...Object.fromEntries(SCALARS.map((k) => [k, profile.get(k) ?? null])),
    is_verified: profile.is_verified,
    event_interests: interests.map((i) => i.slug),
  };
}

const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
