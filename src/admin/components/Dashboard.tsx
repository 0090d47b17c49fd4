import React, { useEffect, useState } from 'react';
import { Box, H2, H5, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
// Type-only import: erased when AdminJS bundles this file for the browser.
import type { DashboardData, DayPoint } from '../dashboard.js';

const api = new ApiClient();

const Card: React.FC<{ label: string; value: string | number; testId: string; href?: string }> = ({ label, value, testId, href }) => (
  <Box variant="card" p="lg" mr="lg" mb="lg" style={{ minWidth: 170 }}>
    <Text variant="sm" color="grey60">{label}</Text>
    <H2 mb="0" data-testid={testId}>{href ? <a href={href}>{value}</a> : value}</H2>
  </Box>
);

/** A plain SVG bar chart: one bar per day, the largest value at full height. */
const Bars: React.FC<{ title: string; points: DayPoint[]; testId: string; format?: (v: number) => string }> = ({ title, points, testId, format = String }) => {
  const max = Math.max(1, ...points.map((p) => p.value));
  const w = 600;
  const h = 120;
  const bw = w / Math.max(1, points.length);
  const total = points.reduce((s, p) => s + p.value, 0);
  return (
    <Box variant="card" p="lg" mb="lg" data-testid={testId}>
      <H5>{title} — {format(total)} in 30 days</H5>
      <svg viewBox={`0 0 ${w} ${h + 16}`} width="100%" role="img" aria-label={title}>
        {points.map((p, i) => {
          const bh = Math.round((p.value / max) * h);
          return (
            <rect key={p.day} x={i * bw + 1} y={h - bh} width={Math.max(1, bw - 2)} height={bh} fill="#4268F6">
              <title>{`${p.day}: ${format(p.value)}`}</title>
            </rect>
          );
        })}
        <text x="0" y={h + 14} fontSize="10">{points[0]?.day}</text>
        <text x={w} y={h + 14} fontSize="10" textAnchor="end">{points[points.length - 1]?.day}</text>
      </svg>
    </Box>
  );
};

const money = (v: number) => v.toFixed(2);

const Dashboard: React.FC = () => {
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.getDashboard<DashboardData>().then((r) => setData(r.data)).catch(() => setError('Could not load the dashboard'));
  }, []);
  if (error) return <Box p="xl"><Text>{error}</Text></Box>;
  if (!data) return <Box p="xl"><Text>Loading…</Text></Box>;
  return (
    <Box p="xl" data-testid="loopin-dashboard">
      <H2>Today at Loopin</H2>
      <Box flex flexDirection="row" style={{ flexWrap: 'wrap' }}>
        <Card label="Events today" value={data.events_today} testId="events-today" href="/admin/resources/event" />
        <Card label="Upcoming events" value={data.events_upcoming} testId="events-upcoming" href="/admin/resources/event" />
        <Card label="Pending requests" value={data.pending_requests} testId="pending-requests" href="/admin/resources/event_request?filters.status=pending" />
        <Card label="Paid revenue today" value={data.revenue_today} testId="revenue-today" />
        <Card label="Paid revenue, 30 days" value={data.revenue_30d} testId="revenue-30d" />
        <Card label="Check-ins today" value={data.checkins_today} testId="checkins-today" />
        <Card label="Failed webhooks" value={data.failed_webhooks} testId="failed-webhooks" href="/admin/resources/payment_webhook?filters.processed=false" />
      </Box>
      <Box variant="card" p="lg" mb="lg">
        <H5>Next events</H5>
        {data.upcoming.length === 0 ? <Text>No upcoming events.</Text> : (
          <table data-testid="upcoming-events" style={{ width: '100%' }}>
            <tbody>
              {data.upcoming.map((e) => (
                <tr key={e.id}>
                  <td><a href={`/admin/resources/event/records/${e.id}/show`}>{e.title}</a></td>
                  <td>{new Date(e.start_time).toLocaleString()}</td>
                  <td>{e.status}</td>
                  <td>{e.going_count}{e.max_capacity ? ` / ${e.max_capacity}` : ''} going</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Box>
      <Bars title="Sign-ups per day" points={data.signups_per_day} testId="chart-signups" />
      <Bars title="Join requests per day" points={data.requests_per_day} testId="chart-requests" />
      <Bars title="Paid revenue per day" points={data.revenue_per_day} testId="chart-revenue" format={money} />
    </Box>
  );
};

export default Dashboard;
