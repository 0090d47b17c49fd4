import type { Notification } from '../../models/index.js';

/** NOTIFICATION → public JSON: uuids only (reference and sender by uuid), ISO times. */
export function presentNotification(n: Notification) {
  const { reference_uuid: referenceUuid, ...metadata } = n.metadata ?? {};
  return {
    uuid: n.uuid,
    type: n.type,
    title: n.title,
    message: n.message,
    is_read: n.is_read,
    reference: n.reference_type ? { type: n.reference_type, uuid: typeof referenceUuid === 'string' ? referenceUuid : null } : null,
    // People who signed up by phone have their name on the profile; staff may only have first/last names.
    sender: n.sender ? { uuid: n.sender.uuid, name: n.sender.profile?.name || `${n.sender.first_name} ${n.sender.last_name}`.trim() || null } : null,
    metadata,
    created_at: n.created_at.toISOString(),
  };
}
