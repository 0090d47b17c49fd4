/** The auth domain's commands: the only place its rules live. */
export { signup } from './signup.js';
export { verifyOtp, type LoginResult } from './verify-otp.js';
export { refresh, logout } from './sessions.js';
export { completeProfile, updateProfile, updateProfileAsStaff, getProfile, type ProfileView, type StaffProfileChanges } from './profile.js';
export { deactivateUser, reactivateUser } from './users.js';
export { expireStaleOtps } from './expire-otps.js';
export { sweepRefreshTokens } from './sweep-refresh-tokens.js';
export { createAccountAsStaff, updateAccountAsStaff, type StaffAccountInput, type StaffAccountOptions } from './staff-accounts.js';
export { staffLogin, currentStaff, type StaffLoginInput } from './staff-login.js';
