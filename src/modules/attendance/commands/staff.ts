import type { Context } from '../../../context.js';
import { isStaff } from '../../../context.js';
import { Forbidden, NotFound, ValidationFailed } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/uuid.js';
import { Event } from '../../../models/index.js';
import { requireActor } from '../policy.js';
import { admitAtDoor, type DoorTicket } from './checkin.js';
import { findDoorRecord } from './lookup.js';

/**
 * Staff at the door let a guest in without a code (lost phone): the same rules and the same
 * conditional update as every door, with the staff member's reason in the audit row.
 */
export async function staffCheckIn(ctx: Context, input: { ticketUuid: string; reason: string }): Promise<DoorTicket> {
  if (!isStaff(requireActor(ctx.actor))) throw new Forbidden('Only staff can check a guest in without a code');
  const reason = input.reason.trim();
  if (reason.length < 3) throw ValidationFailed.field('reason', 'say why the guest is let in without a code');
  const record = isUuid(input.ticketUuid)
    ? await findDoorRecord('uuid', input.ticketUuid.toLowerCase(), ctx.transaction)
    : null;
  const event = record ? await Event.findByPk(record.event_id, { transaction: ctx.transaction }) : null;
  if (!record || !event) throw new NotFound('Ticket');
  return admitAtDoor(ctx, { record, event, at: ctx.now(), via: 'staff', reason: reason.slice(0, 500) });
}
