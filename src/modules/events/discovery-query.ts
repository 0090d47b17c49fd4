/**
 * The discovery page as ONE statement, and its row presenter — pure (no database, no models), so
 * the bench's bare node:http + pg server (bench/bare/discovery.mjs) runs exactly this SQL too.
 *
 * The inner query finds the page's ids by keyset over (start_time, uuid) — the order of the partial
 * covering index event_listed_start_uuid (migration 0302), walked forwards or backwards; the outer
 * one joins host, profile and venue and aggregates the interests for those rows only. No COUNT(*).
 * The visibility predicate is written exactly as the partial indexes' WHERE clause so the planner
 * can use them.
 */
import { containsPattern } from '../../lib/like.js';
import { formatMoney } from '../../lib/money.js';
import type { Event, Venue } from '../../models/index.js';

export interface DiscoveryFilters {
  /** The actor's id for mine=true (the caller checks that there is one). */
  mine?: number;
  search?: string;
  interest?: string;
  city?: string;
  starts_after?: string;
  starts_before?: string;
  is_paid?: boolean;
  host?: string;
  ascending: boolean;
  /** The last row of the previous page: exact start_time as PostgreSQL text, and uuid (validated by the caller). */
  after?: [string, string];
  page_size: number;
}

export function discoveryQuery(q: DiscoveryFilters): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const $ = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  if (q.mine !== undefined) where.push(`e.host_id = ${$(q.mine)} AND e.is_active`);
  else where.push("e.status = 'published' AND e.is_public AND e.is_active");
  if (q.search) {
    const p = $(containsPattern(q.search.toLowerCase()));
    where.push(`(lower(e.title) LIKE ${p} OR lower(e.description) LIKE ${p})`);
  }
  if (q.interest) {
    where.push(`EXISTS (SELECT 1 FROM event_interest_map m WHERE m.event_id = e.id
      AND m.eventinterest_id = (SELECT i.id FROM event_interest i WHERE i.slug = ${$(q.interest.toLowerCase())}))`);
  }
  if (q.city) where.push(`e.venue_id IN (SELECT v.id FROM venue v WHERE lower(v.city) = ${$(q.city.toLowerCase())})`);
  if (q.starts_after) where.push(`e.start_time >= ${$(new Date(q.starts_after))}`);
  if (q.starts_before) where.push(`e.start_time <= ${$(new Date(q.starts_before))}`);
  if (q.is_paid !== undefined) where.push(`e.is_paid = ${$(q.is_paid)}`);
  if (q.host) where.push(`e.host_id = (SELECT u.id FROM auth_user u WHERE u.uuid = ${$(q.host.toLowerCase())})`);
  if (q.after) {
    where.push(`(e.start_time, e.uuid) ${q.ascending ? '>' : '<'} (${$(q.after[0])}::timestamptz, ${$(q.after[1])}::uuid)`);
  }
  const dir = q.ascending ? 'ASC' : 'DESC';
  const text = `SELECT e.uuid, e.slug, e.title, e.description, e.start_time, e.end_time, e.venue_text, e.max_capacity,
         e.is_paid, e.ticket_price, e.allow_plus_one, e.waitlist_enabled, e.allowed_genders, e.gst_number, e.cover_images, e.is_public,
         e.is_active, e.status, e.going_count, e.requests_count, e.created_at, e.updated_at,
         e.start_time::text AS cursor_time,
         v.uuid AS venue_uuid, v.name AS venue_name, v.city AS venue_city, v.venue_type,
         u.uuid AS host_uuid, u.first_name AS host_first_name, u.last_name AS host_last_name, p.name AS host_profile_name,
         COALESCE((SELECT json_agg(json_build_object('uuid', i.uuid, 'name', i.name, 'slug', i.slug) ORDER BY m.id)
                     FROM event_interest_map m JOIN event_interest i ON i.id = m.eventinterest_id
                    WHERE m.event_id = e.id), '[]') AS interests
    FROM (SELECT e.id FROM event e WHERE ${where.join(' AND ')}
          ORDER BY e.start_time ${dir}, e.uuid ${dir} LIMIT ${q.page_size + 1}) page
    JOIN event e ON e.id = page.id
    JOIN auth_user u ON u.id = e.host_id
    LEFT JOIN user_profile p ON p.user_id = u.id
    LEFT JOIN venue v ON v.id = e.venue_id
   ORDER BY e.start_time ${dir}, e.uuid ${dir}`;
  return { text, values };
}

/** One row of discoveryQuery as the driver returns it. */
export interface DiscoveryRow {
  uuid: string; slug: string; title: string; description: string; start_time: Date; end_time: Date;
  venue_text: string | null; max_capacity: number; is_paid: boolean; ticket_price: string; allow_plus_one: boolean; waitlist_enabled: boolean;
  allowed_genders: Event['allowed_genders']; gst_number: string | null; cover_images: string[] | null; is_public: boolean; is_active: boolean;
  status: Event['status']; going_count: number; requests_count: number; created_at: Date; updated_at: Date; cursor_time: string;
  venue_uuid: string | null; venue_name: string; venue_city: string | null; venue_type: Venue['venue_type'];
  host_uuid: string; host_first_name: string | null; host_last_name: string | null; host_profile_name: string | null;
  interests: { uuid: string; name: string; slug: string }[];
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** The public Event of a discovery row: the same fields and rules as presenter.ts's presentEvent. */
export function presentDiscoveryRow(r: DiscoveryRow) {
  return {
    uuid: r.uuid,
    slug: r.slug,
    title: r.title,
    description: r.description,
    start_time: iso(r.start_time),
    end_time: iso(r.end_time),
    venue: r.venue_uuid ? { uuid: r.venue_uuid, name: r.venue_name, city: r.venue_city ?? null, venue_type: r.venue_type } : null,
    venue_text: r.venue_text ?? null,
    max_capacity: r.max_capacity,
    is_paid: r.is_paid,
    ticket_price: formatMoney(r.ticket_price),
    allow_plus_one: r.allow_plus_one,
    waitlist_enabled: r.waitlist_enabled,
    allowed_genders: r.allowed_genders,
    gst_number: r.gst_number ?? null,
    cover_images: r.cover_images ?? [],
    interests: r.interests,
    is_public: r.is_public,
    is_active: r.is_active,
    status: r.status,
    going_count: r.going_count,
    requests_count: r.requests_count,
    host: {
      uuid: r.host_uuid,
      name: r.host_profile_name || `${r.host_first_name ?? ''} ${r.host_last_name ?? ''}`.trim() || 'Loopin host',
    },
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}
