import { isStaff, type Actor } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import { policy } from '../../lib/policy.js';
import type { AuthUser } from '../../models/index.js';

/**
 * Who may change which account from the back office. Staff run the platform; only a superuser may
 * touch what would hand an account to someone else (its phone/username, email, password) or
 * change who is staff — so a staff session, stolen or misused, cannot take an account over.
 */
type Target = Pick<AuthUser, 'id' | 'is_superuser'>;

export const staffAccounts = policy<Actor | null, {
  edit: Target;
  change_identity: Target;
  grant_privileges: Target;
  create: null;
  create_privileged: null;
}>()
  .allow('edit', (actor, target) => isStaff(actor) && (!target.is_superuser || !!actor!.is_superuser))
  .allow('change_identity', (actor) => !!actor?.is_superuser)
  .allow('grant_privileges', (actor, target) => !!actor?.is_superuser && actor.id !== target.id)
  .allow('create', (actor) => isStaff(actor))
  .allow('create_privileged', (actor) => !!actor?.is_superuser);

/** Account fields by the rule that guards them. */
export const IDENTITY_FIELDS = ['username', 'email', 'password'] as const;
export const PRIVILEGE_FIELDS = ['is_staff', 'is_superuser'] as const;

/** A 403 that names the field, so the panel shows it on that field. */
export const refusedField = (field: string, message: string) => new AppError(403, 'Forbidden', `${field}: ${message}`, [{ field, message }]);

/** The staff password rule (the login form reads at most 1024 characters of a password). */
export const STAFF_PASSWORD = { min: 8, max: 1024 } as const;

export function passwordProblem(plain: string): string | null {
  if (plain.length < STAFF_PASSWORD.min) return `must be at least ${STAFF_PASSWORD.min} characters`;
  if (plain.length > STAFF_PASSWORD.max) return `must be at most ${STAFF_PASSWORD.max} characters`;
  if (!plain.trim()) return 'must not be only spaces';
  return null;
}
