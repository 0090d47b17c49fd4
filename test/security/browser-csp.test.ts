import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { seedReference } from '../../seeders/reference.js';
import { SUPERUSER } from '../admin/support.js';

/**
 * The CSPs in a real browser: the AdminJS panel signs in and renders with no violation, and the
 * docs page renders the API from the bundled script with no network beyond this server (Scalar's
 * optional calls to its own cloud are blocked by connect-src 'self', which is the point).
 */
const CHROMIUM = '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
const required = process.env.LOOPIN_BROWSER_TESTS === 'required';

describe.skipIf(!available && !required)('CSP in a real browser', { timeout: 120_000 }, () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is required (LOOPIN_BROWSER_TESTS=required)`);
    await seedReference();
    const { buildApp } = await import('../../src/app.js');
    const app = await buildApp({ admin: true });
    server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const violations = (messages: string[]) => messages.filter((m) => /Content Security Policy/.test(m) && !/scalar\.com/.test(m));

  it('the panel signs in and renders under its CSP', async () => {
    const page = await (await browser.newContext()).newPage();
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    page.on('pageerror', (e) => messages.push(`pageerror ${e.message}`));
    const login = await page.goto(`${base}/admin/login`);
    expect(login!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.fill('input[name=email]', SUPERUSER.email);
    await page.fill('input[name=password]', SUPERUSER.password);
    await Promise.all([page.waitForURL(/\/admin\/?$/, { timeout: 60_000 }), page.click('form button')]);
    await page.waitForSelector('[data-testid=loopin-dashboard]', { timeout: 60_000 });
    expect(violations(messages)).toEqual([]);
    expect(messages.filter((m) => m.startsWith('pageerror'))).toEqual([]);
  });

  it('the docs page renders the API from the bundled script', async () => {
    const page = await (await browser.newContext()).newPage();
    const messages: string[] = [];
    const foreign: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
    await page.goto(`${base}/api/docs`);
    await page.getByText('Loopin public API').first().waitFor({ timeout: 60_000 });
    expect(violations(messages)).toEqual([]);
    // Nothing the page needs comes from elsewhere (the blocked calls never leave the browser).
    expect(foreign.filter((u) => !/scalar\.com/.test(u))).toEqual([]);
  });
});
