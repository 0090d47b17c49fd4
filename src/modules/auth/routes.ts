import { Router } from 'express';
import { endpoint } from '../../http/endpoint.js';
import {
  completeProfile, getProfile, logout, refresh, signup, updateProfile, verifyOtp,
} from './commands/index.js';
import { presentLogin, presentProfile } from './presenter.js';
import {
  CompleteProfileBody, LoginResponse, ProfileSchema, RefreshBody, SignupBody, SignupResponse, TokenPairSchema,
  UpdateProfileBody, VerifyOtpBody,
} from './schema.js';

/** Auth and profile API (API.md "Auth and profile"). Routes parse, call one command, present. */
export const router = Router();
const tags = ['Auth'];

endpoint(router, {
  method: 'post', path: '/auth/signup', tags, auth: 'none', body: SignupBody, response: SignupResponse, errors: [429, 503],
  summary: 'Send a signup/login code by SMS (same answer for new and existing numbers)',
  handler: async ({ ctx, body }) => ({ expires_in: (await signup(ctx, { phoneNumber: body.phone_number, deviceToken: body.device_token })).expiresIn }),
});

endpoint(router, {
  method: 'post', path: '/auth/verify-otp', tags, auth: 'none', body: VerifyOtpBody, response: LoginResponse, errors: [403, 429],
  summary: 'Exchange the SMS code for tokens; wrong or expired code 400 (3 wrong tries kill the code); deactivated 403',
  handler: async ({ ctx, body }) => presentLogin(await verifyOtp(ctx, { phoneNumber: body.phone_number, otpCode: body.otp_code, deviceToken: body.device_token })),
});

endpoint(router, {
  method: 'post', path: '/auth/refresh', tags, auth: 'none', body: RefreshBody, response: TokenPairSchema, errors: [401, 403],
  summary: 'Rotate a refresh token for a new pair; a reused (already rotated) token revokes its whole family (401)',
  handler: ({ ctx, body }) => refresh(ctx, { refreshToken: body.refresh_token }),
});

endpoint(router, {
  method: 'post', path: '/auth/logout', tags, auth: 'none', body: RefreshBody, status: 204,
  summary: 'Revoke the session of this refresh token (no access token needed; an unknown token is also 204, as in RFC 7009)',
  handler: async ({ ctx, body }) => {
    await logout(ctx, { refreshToken: body.refresh_token });
  },
});

endpoint(router, {
  method: 'post', path: '/auth/complete-profile', tags, auth: 'required', body: CompleteProfileBody, response: ProfileSchema,
  summary: 'Fill in the required profile fields (name, gender, 1–6 pictures, 1–5 interests); marks the profile verified',
  handler: async ({ ctx, body }) => presentProfile(await completeProfile(ctx, body)),
});

endpoint(router, {
  method: 'get', path: '/auth/profile', tags, auth: 'required', response: ProfileSchema, errors: [404],
  summary: 'My profile',
  handler: async ({ ctx }) => presentProfile(await getProfile(ctx)),
});

endpoint(router, {
  method: 'patch', path: '/auth/profile', tags, auth: 'required', body: UpdateProfileBody, response: ProfileSchema,
  summary: 'Change some profile fields (bio, location, birth_date may be null to clear)',
  handler: async ({ ctx, body }) => presentProfile(await updateProfile(ctx, body)),
});
