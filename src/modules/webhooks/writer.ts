import { QueryTypes } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import type { HostEventType } from '../../models/index.js';

/** The event a host event is about (a host's own event: its host is the one told). */
export interface HostEventSubject {
  id: number;
  uuid: string;
  host_id: number;
  slug?: string | null;
  title?: string | null;
}

export interface HostEventInput {
  type: HostEventType;
  /** The event, or only its id (emitHostEvent then reads the rest). */
  event: HostEventSubject | { id: number };
  /** What happened, in public terms (uuids, never ids); `event` is added here. */
  data: Record<string, unknown>;
  /** A person named in the data by id only: emitHostEvent adds `data[as] = {uuid, name}`. */
  person?: { as: 'buyer' | 'attendee' | 'requester'; id: number };
}

/**
 * The outbox row of one host event, as emitHostEvent inserts it — also what a command writing
 * through one atomic SQL statement passes as JSON (see hostEventInsertSql). The body is fixed here,
 * once: every retry sends the same bytes. `person_id`/`person_as` are not columns: the INSERT turns
 * them into `data[person_as] = {uuid, name}`.
 */
export function hostEventRow(ctx: Context, input: HostEventInput) {
  const now = ctx.now();
  const event = input.event as HostEventSubject;
  if (!event.uuid || !event.host_id) throw new Error('hostEventRow() needs the event\'s uuid and host_id');
  return {
    host_id: event.host_id,
    event_id: event.id,
    type: input.type,
    payload: {
      type: input.type,
      timestamp: now.toISOString(),
      data: { event: { uuid: event.uuid, slug: event.slug ?? null, title: event.title ?? null }, ...input.data },
    },
    created_at: now,
    person_id: input.person?.id ?? null,
    person_as: input.person?.as ?? null,
  };
}

/**
 * The INSERT of outbox rows given as a JSON array (`rows`: an SQL expression of type jsonb, e.g. a
 * bind parameter or a PL/pgSQL argument). A row is kept only when its host has an active endpoint
 * subscribed to its type, so nothing is queued for hosts who never set up webhooks; with `onlyIf`
 * (a CTE name) only when that CTE returned a row, for a statement whose change may not happen.
 */
export const hostEventInsertSql = (rows: string, onlyIf?: string): string => `
  INSERT INTO webhook_message (host_id, event_id, type, payload, created_at, updated_at)
  SELECT r.host_id, r.event_id, r.type,
         CASE WHEN x.person_id IS NULL THEN r.payload ELSE jsonb_set(r.payload, ARRAY['data', x.person_as], COALESCE(
           (SELECT jsonb_build_object('uuid', u.uuid, 'name', p.name) FROM auth_user u LEFT JOIN user_profile p ON p.user_id = u.id
             WHERE u.id = x.person_id), CAST('null' AS jsonb))) END,
         r.created_at, r.created_at
    FROM jsonb_array_elements(${rows}) j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::webhook_message, j) r
   CROSS JOIN LATERAL jsonb_to_record(j) AS x(person_id bigint, person_as text)
   WHERE EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.host_id = r.host_id AND e.is_active AND r.type = ANY (e.events))${
  onlyIf ? `
     AND EXISTS (SELECT 1 FROM ${onlyIf})` : ''}`;

/**
 * Queues host events in the caller's transaction: they commit or roll back with the change, and
 * the deliver-webhooks job sends them once committed (a rolled-back command tells no host).
 */
export async function emitHostEvent(ctx: Context, ...inputs: HostEventInput[]): Promise<void> {
  if (!ctx.transaction) throw new Error('emitHostEvent() must run inside the command transaction');
  if (inputs.length === 0) return;
  for (const input of inputs) {
    if ('host_id' in input.event) continue;
    const [ev] = await sequelize().query<HostEventSubject>('SELECT id, uuid, host_id, slug, title FROM event WHERE id = :id', {
      replacements: { id: input.event.id }, type: QueryTypes.SELECT, transaction: ctx.transaction,
    });
    if (!ev) throw new Error(`emitHostEvent(): no event ${input.event.id}`);
    input.event = ev;
  }
  await sequelize().query(hostEventInsertSql('CAST(:rows AS jsonb)'), {
    replacements: { rows: JSON.stringify(inputs.map((i) => hostEventRow(ctx, i))) },
    transaction: ctx.transaction,
  });
}
