import { AuthUser, EventInterest, GENDERS, MAX_PROFILE_PICTURES, OTP_STATUSES, OTP_TYPES, RefreshToken, UserPhoneOtp, UserProfile, UserProfileInterest } from '../src/models/index.js';
import {
  NAV, choices, imageField, jsonShow, newestFirst, noBulkDelete, readOnlyActions, shownOnly, showOnly, superuserField, type ResourceList, withOptions,
} from '../src/admin/resource-options.js';
import { PROFILE_EDIT, REAUTH_PASSWORD_FIELD, profileWrites, userWrites } from './commands.js';
import { REAUTH_MINUTES } from '../src/admin/reauth.js';
import { userActions } from './actions/users.js';

/** Users domain: accounts, profiles, phone OTPs (hashes never read), interests, refresh tokens. */
export const usersResources: ResourceList = (make) => [
  // Accounts change through the auth staff commands (src/modules/auth/staff-policy.ts says who may
  // change what); is_active moves only through deactivate/reactivate, which also revoke refresh
  // tokens; accounts are never deleted here (deactivate instead).
  withOptions(make(AuthUser, {
    secrets: ['password'], formOnly: ['new_password', REAUTH_PASSWORD_FIELD], lowercase: ['email'], readOnly: ['is_active'], commands: userWrites,
  }), {
    navigation: NAV.users,
    sort: newestFirst,
    listProperties: ['id', 'username', 'email', 'first_name', 'last_name', 'is_active', 'is_staff', 'date_joined'],
    filterProperties: ['username', 'email', 'is_staff', 'is_superuser'],
    showProperties: ['id', 'uuid', 'username', 'email', 'first_name', 'last_name', 'is_active', 'is_staff', 'is_superuser', 'date_joined', 'last_login', 'created_at', 'updated_at'],
    editProperties: ['username', 'email', 'first_name', 'last_name', 'is_staff', 'is_superuser', 'new_password', REAUTH_PASSWORD_FIELD],
    properties: {
      username: { isTitle: true, description: 'E.164 phone number' },
      is_staff: superuserField,
      is_superuser: superuserField,
      new_password: { type: 'password', ...superuserField, isVisible: { list: false, show: false, filter: false, edit: true } },
      // Changing is_staff / is_superuser asks the editor's own password (src/admin/reauth.ts).
      [REAUTH_PASSWORD_FIELD]: {
        type: 'password', ...superuserField, isVisible: { list: false, show: false, filter: false, edit: true },
        description: `Your own password, needed to change is_staff or is_superuser (not again for ${REAUTH_MINUTES} minutes)`,
      },
      last_login: shownOnly,
      date_joined: shownOnly,
    },
    actions: { ...noBulkDelete, ...userActions },
  }),
  // Searchable by phone (exact) and by name (substring): migration 0103 indexes both. The member
  // edits the profile in the app; staff change only its pictures, through the profile command.
  withOptions(make(UserProfile, { substring: ['name'], commands: profileWrites }), {
    navigation: NAV.users,
    sort: newestFirst,
    listProperties: ['id', 'profile_pictures', 'name', 'phone_number', 'user_id', 'gender', 'location', 'is_verified', 'is_active'],
    filterProperties: ['name', 'phone_number', 'user_id'],
    editProperties: PROFILE_EDIT,
    properties: {
      name: { isTitle: true },
      gender: choices(GENDERS),
      bio: { type: 'textarea' },
      profile_pictures: imageField({ max: MAX_PROFILE_PICTURES }),
      metadata: jsonShow,
    },
    actions: noBulkDelete,
  }),
  withOptions(make(UserPhoneOtp, { secrets: ['otp_code'], immutable: true }), {
    navigation: NAV.users,
    sort: newestFirst,
    listProperties: ['id', 'phone_number', 'otp_type', 'status', 'attempts', 'expires_at', 'created_at'],
    filterProperties: ['phone_number', 'status'],
    properties: { phone_number: { isTitle: true }, otp_type: choices(OTP_TYPES), status: choices(OTP_STATUSES) },
    actions: readOnlyActions,
  }),
  withOptions(make(EventInterest), {
    navigation: NAV.users,
    sort: { sortBy: 'name', direction: 'asc' },
    listProperties: ['id', 'name', 'slug', 'is_active'],
    filterProperties: ['name', 'slug', 'is_active'],
    properties: { name: { isTitle: true }, description: { type: 'textarea' } },
  }),
  withOptions(make(UserProfileInterest), {
    navigation: NAV.users,
    sort: newestFirst,
    listProperties: ['id', 'profile_id', 'eventinterest_id', 'created_at'],
    filterProperties: ['profile_id', 'eventinterest_id'],
  }),
  withOptions(make(RefreshToken, { secrets: ['token_hash'], immutable: true }), {
    navigation: NAV.users,
    sort: newestFirst,
    listProperties: ['id', 'user_id', 'family_id', 'expires_at', 'revoked_at', 'created_at'],
    filterProperties: ['user_id', 'family_id'],
    properties: { replaced_by_id: showOnly },
    actions: readOnlyActions,
  }),
];
