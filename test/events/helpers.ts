import { expect } from 'vitest';
import { clock, DAY, HOUR } from '../../src/lib/clock.js';
import { AuditLog, Event, EventImage, Notification } from '../../src/models/index.js';
import { interest } from '../support/factories.js';

/** A valid POST /api/events body; interests are created on demand. */
export async function eventBody(over: Record<string, unknown> = {}) {
  await Promise.all([interest('music'), interest('tech')]);
  const start = new Date(clock.now().getTime() + 10 * DAY);
  return {
    title: 'Sunday Jazz Evening',
    description: 'Live jazz by the lake, bring a friend.',
    start_time: start.toISOString(),
    end_time: new Date(start.getTime() + 3 * HOUR).toISOString(),
    venue_text: 'Lakeside lawn',
    max_capacity: 50,
    is_paid: false,
    ticket_price: '0.00',
    allow_plus_one: true,
    allowed_genders: 'all',
    cover_images: ['https://img.example/jazz.jpg'],
    event_interests: ['music'],
    is_public: true,
    ...over,
  };
}

interface Res { status: number; headers: Record<string, string>; body: Record<string, unknown> }

export function expectProblem(res: Res, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field) expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
}

export const countEvents = () => Event.count();
export const notificationsOf = (recipientId: number, type?: string) =>
  Notification.findAll({ where: { recipient_id: recipientId, ...(type ? { type } : {}) } });
export const auditsOf = (command: string, objectUuid?: string) =>
  AuditLog.findAll({ where: { command, ...(objectUuid ? { object_uuid: objectUuid } : {}) }, order: [['id', 'ASC']] });

export const buildImage = (event: Event, image_url: string, position: number) =>
  EventImage.create({ event_id: event.id, image_url, position });
