// The discovery baseline: a bare node:http + pg server (no framework, no ORM, no validation
// library, no logging) answering GET /api/events with the SAME statement the app runs — it imports
// the app's compiled query builder (dist/, built by the bench) — then JSON.stringify. Whatever the
// app spends beyond this is the cost of Express, validation, auth, logging and presenting.
import http from 'node:http';
import pg from 'pg';
import { discoveryQuery, presentDiscoveryRow } from '../../dist/src/modules/events/discovery-query.js';

pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  try {
    if (url.pathname === '/readyz') {
      await pool.query('select 1');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    if (url.pathname !== '/api/events') {
      res.writeHead(404).end();
      return;
    }
    const p = url.searchParams;
    const pageSize = Number(p.get('page_size') ?? 20);
    const { text, values } = discoveryQuery({
      search: p.get('search') ?? undefined, interest: p.get('interest') ?? undefined, city: p.get('city') ?? undefined,
      is_paid: p.has('is_paid') ? p.get('is_paid') === 'true' : undefined, ascending: p.get('ordering') === 'start_time',
      page_size: pageSize,
    });
    const { rows } = await pool.query(text, values);
    const kept = rows.slice(0, pageSize);
    const last = kept[kept.length - 1];
    const next = rows.length > pageSize && last ? Buffer.from(JSON.stringify([last.cursor_time, last.uuid])).toString('base64url') : null;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ results: kept.map(presentDiscoveryRow), next }));
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
