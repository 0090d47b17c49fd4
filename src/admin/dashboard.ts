import { QueryTypes } from 'sequelize';
import { sequelize } from '../db/connection.js';

export interface DayPoint {
  day: string;
  value: number;
}

export interface DashboardData {
  generated_at: string;
  events_today: number;
  events_upcoming: number;
  pending_requests: number;
  revenue_today: string;
  revenue_30d: string;
  checkins_today: number;
  failed_webhooks: number;
  upcoming: { id: number; title: string; start_time: string; status: string; going_count: number; max_capacity: number }[];
  signups_per_day: DayPoint[];
  requests_per_day: DayPoint[];
  revenue_per_day: DayPoint[];
}

/** Orders whose money has arrived. */
const PAID = "('paid','completed')";

/**
 * The staff dashboard: one aggregate query for the headline numbers, one for the three 30-day series
 * (sign-ups, join requests, revenue per UTC day, zero-filled), one for the next events. Money is
 * summed in SQL as NUMERIC and returned as a 2-place string (chart points are numbers for drawing).
 * Days are UTC days.
 */
export async function dashboardData(now: Date): Promise<DashboardData> {
  const db = sequelize();
  const replacements = { now };
  const [totals] = await db.query<Record<string, string | number | null>>(`
    with bounds as (
      select date_trunc('day', cast(:now as timestamptz) at time zone 'UTC') at time zone 'UTC' as today
    )
    select
      (select count(*) from event, bounds where status in ('published','postponed','completed')
         and start_time >= bounds.today and start_time < bounds.today + interval '1 day') as events_today,
      (select count(*) from event where status = 'published' and start_time >= :now) as events_upcoming,
      (select count(*) from event_request where status = 'pending') as pending_requests,
      (select coalesce(sum(amount), 0)::numeric(14,2)::text from payment_order, bounds where status in ${PAID}
         and created_at >= bounds.today) as revenue_today,
      (select coalesce(sum(amount), 0)::numeric(14,2)::text from payment_order where status in ${PAID}
         and created_at >= cast(:now as timestamptz) - interval '30 days') as revenue_30d,
      (select count(*) from attendance_record, bounds where checked_in_at >= bounds.today
         and checked_in_at < bounds.today + interval '1 day') as checkins_today,
      (select count(*) from payment_webhook where processing_error is not null or not processed) as failed_webhooks
  `, { replacements, type: QueryTypes.SELECT });

  const series = await db.query<{ day: string; signups: number; requests: number; revenue: string }>(`
    with days as (
      select generate_series(
        date_trunc('day', cast(:now as timestamptz) at time zone 'UTC') - interval '29 days',
        date_trunc('day', cast(:now as timestamptz) at time zone 'UTC'),
        interval '1 day') as day
    ), since as (select (min(day) at time zone 'UTC') as t from days)
    select to_char(days.day, 'YYYY-MM-DD') as day,
      coalesce(u.n, 0)::int as signups, coalesce(r.n, 0)::int as requests, coalesce(p.total, 0)::text as revenue
    from days
    left join (select date_trunc('day', date_joined at time zone 'UTC') as day, count(*) as n
               from auth_user, since where date_joined >= since.t group by 1) u using (day)
    left join (select date_trunc('day', created_at at time zone 'UTC') as day, count(*) as n
               from event_request, since where created_at >= since.t group by 1) r using (day)
    left join (select date_trunc('day', created_at at time zone 'UTC') as day, sum(amount) as total
               from payment_order, since where status in ${PAID} and created_at >= since.t group by 1) p using (day)
    order by days.day
  `, { replacements, type: QueryTypes.SELECT });

  const upcoming = await db.query<DashboardData['upcoming'][number]>(`
    select id, title, start_time, status, going_count, max_capacity from event
    where status in ('published','postponed') and start_time >= cast(:now as timestamptz) - interval '12 hours'
    order by start_time limit 8
  `, { replacements, type: QueryTypes.SELECT });

  return {
    generated_at: now.toISOString(),
    events_today: Number(totals!.events_today),
    events_upcoming: Number(totals!.events_upcoming),
    pending_requests: Number(totals!.pending_requests),
    revenue_today: String(totals!.revenue_today),
    revenue_30d: String(totals!.revenue_30d),
    checkins_today: Number(totals!.checkins_today),
    failed_webhooks: Number(totals!.failed_webhooks),
    upcoming: upcoming.map((e) => ({ ...e, start_time: new Date(e.start_time).toISOString() })),
    signups_per_day: series.map((d) => ({ day: d.day, value: d.signups })),
    requests_per_day: series.map((d) => ({ day: d.day, value: d.requests })),
    revenue_per_day: series.map((d) => ({ day: d.day, value: Number(d.revenue) })),
  };
}
