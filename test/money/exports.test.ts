import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { sequelize } from '../../src/db/connection.js';
import { neutralise } from '../../src/modules/money/csv.js';
import { UserProfile } from '../../src/models/index.js';
import { api, bearer, testApp } from '../support/app.js';
import { buildAttendee, buildStaff, buildUser } from '../support/factories.js';
import { pastEvent, payOrder } from './support.js';

describe('CSV exports', () => {
  it('neutralises spreadsheet formulas but leaves plain numbers alone', () => {
    expect(neutralise('=1+2')).toBe("'=1+2");
    expect(neutralise('+91 98')).toBe("'+91 98");
    expect(neutralise('-cmd')).toBe("'-cmd");
    expect(neutralise('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralise('\tx')).toBe("'\tx");
    expect(neutralise('\rx')).toBe("'\rx");
    expect(neutralise('-12.50')).toBe('-12.50');
    expect(neutralise('Asha')).toBe('Asha');
    expect(neutralise(null)).toBe('');
  });

  it('attendees.csv and orders.csv: host and staff get text/csv; others 403 or 404', async () => {
    const host = await buildUser();
    const event = await pastEvent(host, 1);
    const evil = await buildUser({ profile: { name: '=HYPERLINK("http://x.test","click")' } });
    await buildAttendee({ event, user: evil, paid: true });
    await buildAttendee({ event, paid: true, seats: 2 });
    await payOrder(event, { fee: '10.00' });

    const res = await (await api()).get(`/api/events/${event.slug}/attendees.csv`).set('Authorization', await bearer(host));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers.etag).toBeUndefined(); // streamed: no ETag, so OpenAPI lists no 304 for it
    expect(res.headers['content-disposition']).toContain('attendees.csv');
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.name)).toContain('\'=HYPERLINK("http://x.test","click")');
    expect(rows.map((r) => r.seats).sort()).toEqual(['1', '2']);

    const orders = await (await api()).get(`/api/events/${event.uuid}/orders.csv`).set('Authorization', await bearer(await buildStaff()));
    expect(orders.status).toBe(200);
    const o = parse(orders.text, { columns: true }) as Record<string, string>[];
    expect(o).toHaveLength(1);
    expect(o[0]).toMatchObject({ amount: '500.00', refund_amount: '0.00', currency: 'INR', status: 'paid' });

    const stranger = await bearer(await buildUser());
    expect((await (await api()).get(`/api/events/${event.slug}/orders.csv`).set('Authorization', stranger)).status).toBe(403);
    const hidden = await pastEvent(host, 1);
    await hidden.update({ is_public: false });
    const notFound = await (await api()).get(`/api/events/${hidden.slug}/attendees.csv`).set('Authorization', stranger);
    expect(notFound.status).toBe(404);
    expect(notFound.headers['content-type']).toMatch(/problem\+json/);
    expect((await (await api()).get(`/api/events/${event.slug}/attendees.csv`)).status).toBe(401);
  });

  it('the served OpenAPI document describes the host money endpoints, CSVs as text/csv', async () => {
    const doc = (await (await api()).get('/api/openapi.json')).body as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    for (const p of ['/host/balance', '/host/ledger', '/host/payouts']) expect(doc.paths[p]?.get).toBeDefined();
    expect(doc.paths['/host/payout-account']?.put).toBeDefined();
    expect(Object.keys(doc.paths['/events/{event}/attendees.csv']!.get!.responses['200']!.content!)).toEqual(['text/csv']);
    expect(Object.keys(doc.paths['/events/{event}/orders.csv']!.get!.responses['200']!.content!)).toEqual(['text/csv']);
  });

  it('streams 100k rows with flat memory (figures logged)', async () => {
    const host = await buildUser();
    const buyer = await buildUser();
    await UserProfile.update({ name: 'A buyer with a reasonably long display name for the export' }, { where: { user_id: buyer.id } });
    const event = await pastEvent(host, 1);
    const ROWS = 100_000;
    await sequelize().query(`
      INSERT INTO payment_order (uuid, event_id, user_id, order_reference, order_id, amount, currency, status, payment_provider,
                                 provider_response, refund_amount, expires_at, created_at, updated_at)
      SELECT gen_random_uuid(), :event, :buyer, 'BULK-' || i, 'bulk_' || i, 499.00, 'INR', 'paid', 'stripe', '{}', 0, now(), now(), now()
        FROM generate_series(1, :rows) AS i`, { replacements: { event: event.id, buyer: buyer.id, rows: ROWS } });

    const server = http.createServer(await testApp()).listen(0);
    const port = (server.address() as AddressInfo).port;
    const auth = await bearer(host);
    // A forced collection before each sample measures what the export keeps alive, not garbage awaiting GC.
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    let bytes = 0;
    let lines = 0;
    const started = Date.now();
    const sample = setInterval(() => {
      gc();
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 1000);
    await new Promise<void>((resolve, reject) => {
      http.get({ port, path: `/api/events/${event.slug}/orders.csv`, headers: { Authorization: auth } }, (res) => {
        expect(res.statusCode).toBe(200);
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (const b of chunk) if (b === 10) lines++;
        });
        res.on('end', resolve);
        res.on('error', reject);
      }).on('error', reject);
    });
    clearInterval(sample);
    server.close();
    const seconds = (Date.now() - started) / 1000;
    gc();
    const after = process.memoryUsage();
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const figure = `100k-row orders.csv: ${mb(bytes)} MB streamed in ${seconds.toFixed(1)} s; live heap ${mb(before.heapUsed)} → peak ${mb(peakHeap)} → ${mb(after.heapUsed)} MB `
      + `(peak growth ${mb(peakHeap - before.heapUsed)} MB); rss ${mb(before.rss)} → peak ${mb(peakRss)} → ${mb(after.rss)} MB`;
    process.stdout.write(`${figure}\n`);
    expect(lines).toBe(ROWS + 1);
    // Holding the file (or the rows) would grow the heap by at least the file's size.
    expect(peakHeap - before.heapUsed).toBeLessThan(bytes / 4);
  }, 300_000);
});
