import { ValidationError, type ActionRequest, type ResourceOptions } from 'adminjs';
import { hashPassword } from '../lib/password.js';
import type { AdminUser } from './context.js';

const PRIVILEGED = ['is_staff', 'is_superuser'] as const;

/**
 * Server side of the roles rule on AUTH_USER forms (the form hides these fields from staff, but a
 * form is not a guard): only a superuser may grant or revoke staff/superuser or set a password.
 * A raw `password` in the payload is always dropped; a superuser's `new_password` is hashed into it.
 */
async function guardUserPayload(request: ActionRequest, context: { currentAdmin?: unknown }): Promise<ActionRequest> {
  if (request.method !== 'post' || !request.payload) return request;
  const admin = context.currentAdmin as AdminUser | undefined;
  const payload: Record<string, unknown> = { ...request.payload };
  const newPassword = typeof payload.new_password === 'string' ? payload.new_password : '';
  delete payload.new_password;
  delete payload.password;
  if (!admin?.is_superuser) {
    for (const key of PRIVILEGED) delete payload[key];
  } else if (newPassword) {
    if (newPassword.length < 8) throw new ValidationError({ new_password: { message: 'must be at least 8 characters', type: 'length' } });
    payload.password = await hashPassword(newPassword);
  }
  return { ...request, payload };
}

export const staffUserGuard: ResourceOptions['actions'] = {
  new: { before: guardUserPayload },
  edit: { before: guardUserPayload },
  // Deleting an account erases its history's owner: superusers only (others deactivate).
  delete: { isAccessible: ({ currentAdmin }) => !!(currentAdmin as AdminUser | undefined)?.is_superuser },
};
