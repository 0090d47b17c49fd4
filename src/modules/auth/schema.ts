import { z } from '../../lib/zod.js';
import { GENDERS, MAX_PROFILE_PICTURES } from '../../models/index.js';

/** E.164: a plus, a non-zero country digit, at most 15 digits in all. Nothing else is accepted. */
export const PhoneNumber = z.string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +919876543210')
  .openapi({ example: '+919876543210' });

const codePoints = (s: string) => [...s].length;
const maxChars = (n: number) => (s: string) => codePoints(s) <= n;
// PostgreSQL text and jsonb cannot hold U+0000; refuse it here, naming the field, instead of failing at the database.
const noNul = (s: string) => !s.includes('\u0000');
const NUL_MESSAGE = 'must not contain NUL characters';

// Letters of any script (with their combining marks), joined by spaces, apostrophes or hyphens.
const NAME = /^[\p{L}\p{M}]+(?:[ '’-]+[\p{L}\p{M}]+)*$/u;
export const Name = z.string().trim()
  .refine((s) => codePoints(s) >= 2 && codePoints(s) <= 100, 'must be 2–100 characters')
  .refine((s) => NAME.test(s), 'may contain only letters, spaces, apostrophes and hyphens');

const PictureUrl = z.string().max(2048).refine(noNul, NUL_MESSAGE)
  .refine((s) => { try { return ['http:', 'https:'].includes(new URL(s).protocol); } catch { return false; } }, 'must be an http or https URL');

export const InterestRef = z.string().min(1).max(100).openapi({ description: 'interest slug or uuid' });

const profileFields = {
  name: Name,
  gender: z.enum(GENDERS),
  profile_pictures: z.array(PictureUrl).min(1, 'at least 1 picture').max(MAX_PROFILE_PICTURES, `at most ${MAX_PROFILE_PICTURES} pictures`),
  event_interests: z.array(InterestRef).min(1, 'at least 1 interest').max(5, 'at most 5 interests'),
  bio: z.string().refine(maxChars(500), 'at most 500 characters').refine(noNul, NUL_MESSAGE).nullable(),
  location: z.string().trim().refine(maxChars(100), 'at most 100 characters').refine(noNul, NUL_MESSAGE).nullable(),
  // Past and at least 13 years ago is checked by the command against the clock.
  birth_date: z.iso.date('must be a date YYYY-MM-DD').nullable(),
};

export const CompleteProfileBody = z.strictObject({
  ...profileFields,
  bio: profileFields.bio.optional(),
  location: profileFields.location.optional(),
  birth_date: profileFields.birth_date.optional(),
}).openapi('CompleteProfileBody');

export const UpdateProfileBody = z.strictObject({
  name: profileFields.name.optional(),
  gender: profileFields.gender.optional(),
  profile_pictures: profileFields.profile_pictures.optional(),
  event_interests: profileFields.event_interests.optional(),
  bio: profileFields.bio.optional(),
  location: profileFields.location.optional(),
  birth_date: profileFields.birth_date.optional(),
}).refine((b) => Object.keys(b).length > 0, 'send at least one field').openapi('UpdateProfileBody');

export type ProfileChanges = z.infer<typeof UpdateProfileBody>;

const DeviceToken = z.string().max(200).optional()
  .openapi({ description: 'device_token from an earlier login of this phone: the per-phone lockout that strangers can trigger does not apply to it' });

export const SignupBody = z.object({ phone_number: PhoneNumber, device_token: DeviceToken }).openapi('SignupBody');
export const SignupResponse = z.object({ expires_in: z.number().int().openapi({ example: 600 }) }).openapi('SignupResponse');

export const VerifyOtpBody = z.object({
  phone_number: PhoneNumber,
  otp_code: z.string().regex(/^\d{4}$/, 'must be the 4-digit code'),
  device_token: DeviceToken,
}).openapi('VerifyOtpBody');

export const RefreshBody = z.object({ refresh_token: z.string().min(1).max(200) }).openapi('RefreshBody');

export const TokenPairSchema = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().openapi({ description: 'access token lifetime in seconds' }),
}).openapi('TokenPair');

export const UserSummary = z.object({
  uuid: z.string().uuid(),
  phone_number: z.string(),
  name: z.string().nullable(),
  is_staff: z.boolean(),
  date_joined: z.string(),
  last_login: z.string().nullable(),
}).openapi('AuthUser');

export const LoginResponse = TokenPairSchema.extend({
  user: UserSummary,
  profile_complete: z.boolean(),
  device_token: z.string().openapi({ description: 'keep it on this device and send it with later signups and verifications of this phone' }),
}).openapi('LoginResponse');

export const InterestSummary = z.object({ uuid: z.string().uuid(), name: z.string(), slug: z.string() });

export const ProfileSchema = z.object({
  uuid: z.string().uuid(),
  user: z.object({ uuid: z.string().uuid() }),
  name: z.string().nullable(),
  phone_number: z.string().nullable(),
  gender: z.enum(GENDERS).nullable(),
  bio: z.string().nullable(),
  location: z.string().nullable(),
  birth_date: z.string().nullable(),
  profile_pictures: z.array(z.string()),
  event_interests: z.array(InterestSummary),
  is_verified: z.boolean(),
  profile_complete: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
}).openapi('Profile');
