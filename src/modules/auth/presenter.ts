import type { AuthUser, UserProfile } from '../../models/index.js';
import type { TokenPair } from './tokens.js';

/** Public JSON for auth and profiles: every field chosen, uuids only. */
export const presentUser = (user: AuthUser, profile: UserProfile | null) => ({
  uuid: user.uuid,
  phone_number: user.username,
  name: profile?.name ?? null,
  is_staff: user.is_staff,
  date_joined: user.date_joined.toISOString(),
  last_login: user.last_login ? user.last_login.toISOString() : null,
});

export const presentLogin = (r: { pair: TokenPair; user: AuthUser; profile: UserProfile | null; profileComplete: boolean }) => ({
  ...r.pair,
  user: presentUser(r.user, r.profile),
  profile_complete: r.profileComplete,
});

export const presentProfile = (r: { profile: UserProfile; user: AuthUser; complete: boolean }) => ({
  uuid: r.profile.uuid,
  user: { uuid: r.user.uuid },
  name: r.profile.name ?? null,
  phone_number: r.profile.phone_number ?? null,
  gender: r.profile.gender ?? null,
  bio: r.profile.bio ?? null,
  location: r.profile.location ?? null,
  birth_date: r.profile.birth_date ?? null,
  profile_pictures: r.profile.profile_pictures ?? [],
  event_interests: (r.profile.interests ?? []).map((i) => ({ uuid: i.uuid, name: i.name, slug: i.slug })),
  is_verified: r.profile.is_verified,
  profile_complete: r.complete,
  created_at: r.profile.created_at.toISOString(),
  updated_at: r.profile.updated_at.toISOString(),
});

/** A staff member as the panel's session keeps them (an Actor plus what the panel shows). */
export interface StaffMember {
  id: number;
  uuid: string;
  is_staff: boolean;
  is_superuser: boolean;
  email: string;
  title?: string;
}

export function presentStaffMember(user: AuthUser): StaffMember {
  const name = `${user.first_name} ${user.last_name}`.trim();
  return {
    id: user.id, uuid: user.uuid, email: user.email ?? user.username,
    is_staff: user.is_staff, is_superuser: user.is_superuser,
    title: name ? `${name}${user.is_superuser ? ' (superuser)' : ' (staff)'}` : user.username,
  };
}
