/**
 * AdminJS list timings on big tables: the stock @adminjs/sequelize Resource vs LoopinResource.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/admin-list.ts [rows] [--reuse]
 *
 * Creates its own database (loopin_bench_admin), seeds `rows` (default 1,000,000) AUDIT_LOG and
 * NOTIFICATION rows set-based with generate_series, then times the panel's list call
 * (`/admin/api/resources/<id>/actions/list`) through an Express app with the panel mounted, once
 * per adapter, in the same run, logged in as a bench superuser. Not part of `npm test`.
 */
import express from 'express';
import pg from 'pg';
import supertest from 'supertest';
import { Resource as PlainResource } from '@adminjs/sequelize';

process.env.SESSION_SECRET ??= 'bench-session-secret-bench-session-secret-0123';
process.env.LOG_LEVEL ??= 'warn';

const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REUSE = process.argv.includes('--reuse'); // time again without re-seeding the bench database
const ROWS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const DB = 'loopin_bench_admin';
const RUNS = 15;
const PASSWORD = 'bench-password-1';

const dbUrl = (name: string) => {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
};

async function recreateDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: dbUrl('postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${DB} with (force)`);
  await admin.query(`create database ${DB}`);
  await admin.end();
}

async function seed(): Promise<void> {
  const { sequelize } = await import('../src/db/connection.js');
  const { hashPassword } = await import('../src/lib/password.js');
  const db = sequelize();
  const t0 = Date.now();
  await db.query(`
    insert into auth_user (username, email, first_name, last_name, is_staff, date_joined)
    select '+9190' || lpad(g::text, 8, '0'), null, 'User', g::text, false, now() - g * interval '1 hour'
    from generate_series(1, 1000) g`);
  await db.query(
    `insert into auth_user (username, email, password, first_name, last_name, is_staff, is_superuser)
     values ('bench@loopin.test', 'bench@loopin.test', :hash, 'Bench', 'Admin', true, true)`,
    { replacements: { hash: await hashPassword(PASSWORD) } },
  );
  await db.query(`
    insert into audit_log (actor_user_id, user_id, action, command, object_type, object_id, payload, metadata,
                           ip_address, user_agent, severity, is_successful, created_at, updated_at)
    select 1 + g % 1000, 1 + (g * 7) % 1000,
           (array['create','update','delete','login','logout'])[1 + g % 5],
           'bench.' || (array['create','update','delete','login','logout'])[1 + g % 5],
           'event', g % 50000, '{"source":"bench"}', '{}', '10.0.0.1', 'bench', 'low', g % 97 <> 0,
           now() - g * interval '1 second', now() - g * interval '1 second'
    from generate_series(1, :rows) g`, { replacements: { rows: ROWS } });
  await db.query(`
    insert into notification (recipient_id, type, title, message, is_read, created_at, updated_at)
    select 1 + g % 1000, 'system', 'Notice ' || g, 'Bench message', g % 3 = 0,
           now() - g * interval '1 second', now() - g * interval '1 second'
    from generate_series(1, :rows) g`, { replacements: { rows: ROWS } });
  await db.query('analyze');
  console.log(`seeded ${ROWS.toLocaleString()} audit_log + ${ROWS.toLocaleString()} notification rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

type Agent = ReturnType<typeof supertest.agent>;

async function signedInAgent(plain: boolean): Promise<Agent> {
  const { mountAdmin } = await import('../src/admin/mount.js');
  const app = express();
  app.set('trust proxy', 'loopback');
  mountAdmin(app, plain ? { make: (model) => new PlainResource(model) } : {});
  const agent = supertest.agent(app).set('Host', 'bench.local').set('Origin', 'http://bench.local');
  const res = await agent.post('/admin/login').type('form').send({ email: 'bench@loopin.test', password: PASSWORD });
  if (res.status !== 302) throw new Error(`bench login failed (${res.status})`);
  return agent;
}

async function time(agent: Agent, url: string): Promise<{ ms: number; total: number }> {
  const t0 = performance.now();
  const res = await agent.get(url);
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return { ms, total: (res.body as { meta: { total: number } }).meta.total };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

async function main(): Promise<void> {
  if (!REUSE) await recreateDatabase();
  const { connect, disconnect } = await import('../src/db/connection.js');
  const { createMigrator } = await import('../src/db/migrate.js');
  const sequelize = connect(dbUrl(DB), { poolMax: 10 });
  await createMigrator(sequelize).up();
  if (!REUSE) await seed();

  const agents = { plain: await signedInAgent(true), loopin: await signedInAgent(false) };
  const cases = [
    ['audit_log', '/admin/api/resources/audit_log/actions/list'],
    ['audit_log ?action=login', '/admin/api/resources/audit_log/actions/list?filters.action=login'],
    ['audit_log ?actor=42', '/admin/api/resources/audit_log/actions/list?filters.actor_user_id=42'],
    ['notification', '/admin/api/resources/notification/actions/list'],
    ['notification ?recipient=42', '/admin/api/resources/notification/actions/list?filters.recipient_id=42'],
  ] as const;

  console.log(`\nlist call timings over ${RUNS} runs each (after 2 warm-ups), ms:`);
  console.log(`${'case'.padEnd(30)} ${'adapter'.padEnd(8)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'total shown'.padStart(12)}`);
  for (const [name, url] of cases) {
    for (const [adapter, agent] of Object.entries(agents)) {
      await time(agent, url);
      await time(agent, url);
      const runs: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await time(agent, url);
        runs.push(r.ms);
        total = r.total;
      }
      console.log(`${name.padEnd(30)} ${adapter.padEnd(8)} ${median(runs).toFixed(1).padStart(8)} ${p95(runs).toFixed(1).padStart(8)} ${total.toLocaleString().padStart(12)}`);
    }
  }
  await disconnect();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
