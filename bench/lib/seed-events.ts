import type { Sequelize } from 'sequelize';
import { INTERESTS } from '../../seeders/interests.js';

/**
 * Set-based seeding for the discovery benchmark: every row comes from generate_series in a few
 * INSERT … SELECT statements (no per-row round trips). Values are derived from the series number
 * with co-prime multipliers, so the data is spread evenly and the same on every run.
 */
const CITIES = ['Pune', 'Mumbai', 'Delhi', 'Bengaluru', 'Chennai', 'Hyderabad', 'Kolkata', 'Goa', 'Jaipur', 'Kochi',
  'Lucknow', 'Indore', 'Surat', 'Nagpur', 'Bhopal', 'Patna', 'Ranchi', 'Mysuru', 'Shimla', 'Udaipur'];
const ADJECTIVES = ['Sunday', 'Late', 'Rooftop', 'Quiet', 'Open', 'Friendly', 'Weekend', 'Midnight', 'Morning', 'Grand',
  'Cozy', 'Wild', 'Urban', 'Lakeside', 'Vintage', 'Indie', 'Summer', 'Monsoon', 'Winter', 'Spring'];
const NOUNS = ['jazz', 'poetry', 'coding', 'pottery', 'salsa', 'chess', 'trek', 'yoga', 'standup', 'film', 'book', 'wine',
  'coffee', 'startup', 'design', 'photo', 'cycling', 'karaoke', 'quiz', 'painting', 'running', 'cooking', 'gaming',
  'theatre', 'meditation', 'football', 'sketching', 'dance', 'history', 'music'];
const KINDS = ['night', 'meetup', 'session', 'club', 'jam', 'walk', 'workshop', 'social', 'circle', 'party'];

const arr = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;

/** Hosts (2,000 with profiles), venues (500 over 20 cities) and the reference interests. */
export async function seedBase(db: Sequelize): Promise<void> {
  await db.query(`
    INSERT INTO event_interest (name, slug, description)
    SELECT x->>'name', x->>'slug', x->>'description' FROM jsonb_array_elements(:interests::jsonb) x
    ON CONFLICT (slug) DO NOTHING;
    INSERT INTO auth_user (username, first_name, last_name)
    SELECT '+9170' || lpad(g::text, 8, '0'), 'Host', g::text FROM generate_series(1, 2000) g;
    INSERT INTO user_profile (user_id, name, gender)
    SELECT id, 'Host ' || id, 'prefer_not_to_say' FROM auth_user;
    INSERT INTO venue (name, city, venue_type, capacity)
    SELECT 'Venue ' || g, (${arr(CITIES)})[1 + g % ${CITIES.length}], (ARRAY['indoor','outdoor','virtual','hybrid'])[1 + g % 4], 50 + g % 200
    FROM generate_series(1, 500) g;
  `, { replacements: { interests: JSON.stringify(INTERESTS) } });
}

/** A deterministic pseudo-random non-negative number per (row, attribute): keeps attributes uncorrelated. */
const RANDOM_FN = `CREATE OR REPLACE FUNCTION r(g bigint, salt int) RETURNS bigint LANGUAGE sql IMMUTABLE AS
  $$ SELECT abs(hashint8(g * 1000 + salt)::bigint) $$`;

/** Events numbered (from, to] with 1–3 interests each, inserted in batches of 50k. */
export async function seedEvents(db: Sequelize, from: number, to: number, progress: (done: number) => void): Promise<void> {
  const BATCH = 50_000;
  await db.query(RANDOM_FN);
  for (let lo = from; lo < to; lo += BATCH) {
    const hi = Math.min(to, lo + BATCH);
    await db.query(`
      WITH h AS (SELECT array_agg(id ORDER BY id) AS ids FROM auth_user),
           v AS (SELECT array_agg(id ORDER BY id) AS ids FROM venue),
           s AS (
             SELECT g,
               date_trunc('milliseconds', now() - interval '365 days' + ((g * 7919) % 730) * interval '1 day'
                 + ((g * 104729) % 86400) * interval '1 second') AS start_time,
               (${arr(ADJECTIVES)})[1 + g % ${ADJECTIVES.length}] || ' ' || (${arr(NOUNS)})[1 + (g / 7) % ${NOUNS.length}]
                 || ' ' || (${arr(KINDS)})[1 + (g / 3) % ${KINDS.length}] AS title,
               r(g, 3) % 10 < 3 AS paid
             FROM generate_series(${lo + 1}::bigint, ${hi}::bigint) g
           )
      INSERT INTO event (host_id, venue_id, slug, title, description, venue_text, start_time, end_time, max_capacity,
                         is_paid, ticket_price, cover_images, status, is_public, is_active, created_at, updated_at)
      SELECT h.ids[1 + (s.g * 31) % array_length(h.ids, 1)],
             CASE WHEN r(s.g, 1) % 10 < 7 THEN v.ids[1 + r(s.g, 2) % array_length(v.ids, 1)] END,
             'bench-' || s.g, s.title,
             'Come along for a ' || lower(s.title) || ' with friendly people. Event number ' || s.g || '.',
             CASE WHEN r(s.g, 1) % 10 >= 7 THEN 'Somewhere nice' END,
             s.start_time, s.start_time + interval '3 hours', (s.g % 5) * 25,
             s.paid, CASE WHEN s.paid THEN 199 + (s.g % 5) * 100 ELSE 0 END,
             '["https://img.example/cover.jpg"]'::jsonb,
             CASE r(s.g, 4) % 20 WHEN 0 THEN 'draft' WHEN 1 THEN 'draft' WHEN 2 THEN 'cancelled' WHEN 3 THEN 'completed' ELSE 'published' END,
             r(s.g, 5) % 10 <> 5, r(s.g, 6) % 50 <> 7, now(), now()
      FROM s, h, v;
      INSERT INTO event_interest_map (event_id, eventinterest_id)
      SELECT e.id, i.ids[1 + r(e.id, 10 + pick.n) % array_length(i.ids, 1)]
      FROM event e
      CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM event_interest) i
      CROSS JOIN generate_series(0, 2) AS pick(n)
      WHERE e.id > ${lo} AND e.id <= ${hi} AND pick.n <= r(e.id, 7) % 3
      ON CONFLICT DO NOTHING;
    `);
    progress(hi);
  }
}
