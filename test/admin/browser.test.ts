import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { seedReference } from '../../seeders/reference.js';
import { dashboardData } from '../../src/admin/dashboard.js';
import { clock } from '../../src/lib/clock.js';
import { hashPassword } from '../../src/lib/password.js';
import { AuditLog, AuthUser, Payout, RateLimit, UserProfile, Venue } from '../../src/models/index.js';
import { createPayout } from '../../src/modules/money/commands/payouts.js';
import { ctxOf, hostWithAccount, pastEvent, payOrder } from '../money/support.js';
import { buildEvent, buildRequest, buildUser } from '../support/factories.js';
import { SUPERUSER } from './support.js';
import { seedEveryTable } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--headless=new'];
const available = fs.existsSync(CHROMIUM);
const required = process.env.LOOPIN_BROWSER_TESTS === 'required';
if (!available && !required) {
  console.warn(`\n!!! ${CHROMIUM} not found: the AdminJS browser tests are SKIPPED. Install it (apt-get install -y chromium)\n`
    + '!!! or set LOOPIN_BROWSER_TESTS=required to make its absence a failure.\n');
}

const RESOURCES = [
  'auth_user', 'user_profile', 'user_phone_otp', 'event_interest', 'user_profile_interest', 'refresh_token',
  'venue', 'event', 'event_interest_map', 'event_image', 'event_invite',
  'event_request', 'event_attendee', 'capacity_reservation', 'attendance_record', 'attendance_otp', 'ticket_secret',
  'payment_order', 'payment_transaction', 'payment_webhook', 'notification', 'audit_log', 'audit_log_summary', 'job_run',
];

// A loaded CI box makes page loads slow: each test gets two minutes.
describe.skipIf(!available && !required)('admin panel in a real browser', { timeout: 120_000 }, () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  const bundleDir = path.resolve(`.data/test-run/adminjs-${crypto.randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is required (LOOPIN_BROWSER_TESTS=required)`);
    // This file is the only one that bundles the custom components, once, into its own directory
    // (AdminJS reads the directory when it first loads, which happens below).
    process.env.ADMIN_JS_TMP_DIR = bundleDir;
    await seedReference();
    await seedEveryTable();
    const { buildApp } = await import('../../src/app.js');
    const app = await buildApp({ admin: true });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bundle = await fetch(`${base}/admin/frontend/assets/components.bundle.js`);
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).toContain('Dashboard');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    fs.rmSync(bundleDir, { recursive: true, force: true });
  });

  async function signIn(email: string, password: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/admin/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('form button')]);
    return page;
  }

  /** Collects uncaught page errors and failed API answers while a page is used. */
  function watch(page: Page) {
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('response', (res) => {
      if (res.url().includes('/admin/api/') && res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
    });
    return problems;
  }

  it('signs the superuser in and shows the dashboard numbers', async () => {
    await RateLimit.destroy({ where: {} });
    await buildRequest();
    const expected = await dashboardData(clock.now());
    const page = await signIn(SUPERUSER.email, SUPERUSER.password);
    const problems = watch(page);
    await page.waitForSelector('[data-testid=loopin-dashboard]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=pending-requests]')).toBe(String(expected.pending_requests));
    expect(await page.textContent('[data-testid=failed-webhooks]')).toBe(String(expected.failed_webhooks));
    expect(await page.textContent('[data-testid=revenue-30d]')).toBe(expected.revenue_30d);
    expect(await page.locator('[data-testid=chart-signups] rect').count()).toBe(30);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('opens every resource list page without an error', async () => {
    await RateLimit.destroy({ where: {} });
    const page = await signIn(SUPERUSER.email, SUPERUSER.password);
    const problems = watch(page);
    for (const id of RESOURCES) {
      const listed = page.waitForResponse((r) => r.url().includes(`/admin/api/resources/${id}/actions/list`));
      await page.goto(`${base}/admin/resources/${id}`);
      expect((await listed).status(), id).toBe(200);
      await page.waitForSelector('table tbody tr, [data-css$="no-records"]', { timeout: 15_000 });
      expect(await page.locator('text=/something went wrong|error occurred/i').count(), id).toBe(0);
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('creates and edits a venue through the forms, audited as the superuser', async () => {
    await RateLimit.destroy({ where: {} });
    const page = await signIn(SUPERUSER.email, SUPERUSER.password);
    const problems = watch(page);
    await page.goto(`${base}/admin/resources/venue/actions/new`);
    await page.fill('[data-testid=property-edit-name] input', 'Browser Hall');
    await page.fill('[data-testid=property-edit-city] input', 'Goa');
    await page.fill('[data-testid=property-edit-capacity] input', '75');
    await page.click('[data-testid=button-save]');
    await page.waitForURL(/\/admin\/resources\/venue(\?|$)/, { timeout: 15_000 });
    const venue = await Venue.findOne({ where: { name: 'Browser Hall' } });
    expect(venue?.city).toBe('Goa');
    expect(venue?.capacity).toBe(75);

    await page.goto(`${base}/admin/resources/venue/records/${venue!.id}/edit`);
    await page.fill('[data-testid=property-edit-name] input', 'Browser Hall East');
    await page.click('[data-testid=button-save]');
    await page.waitForURL(/\/admin\/resources\/venue(\?|$)/, { timeout: 15_000 });
    expect((await venue!.reload()).name).toBe('Browser Hall East');

    const rows = await AuditLog.findAll({ where: { object_type: 'venue', object_id: venue!.id }, order: [['id', 'ASC']] });
    expect(rows.map((r) => r.action)).toEqual(['create', 'update']);
    expect(rows[1]!.old_values).toEqual({ name: 'Browser Hall' });
    expect(rows[1]!.new_values).toEqual({ name: 'Browser Hall East' });
    expect(rows[1]!.user_agent).toMatch(/Chrome/);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows the privilege and password fields to superusers only', async () => {
    await RateLimit.destroy({ where: {} });
    const member = await buildUser();
    await buildUser({ email: 'desk@loopin.test', is_staff: true, password: await hashPassword('desk-password-1') });
    const staff = await signIn('desk@loopin.test', 'desk-password-1');
    await staff.goto(`${base}/admin/resources/auth_user/records/${member.id}/edit`);
    await staff.waitForSelector('[data-testid=property-edit-first_name]');
    // AdminJS keeps an empty wrapper for custom field components; what matters is no input inside.
    expect(await staff.locator('[data-testid=property-edit-is_staff] input').count()).toBe(0);
    expect(await staff.locator('[data-testid=property-edit-is_superuser] input').count()).toBe(0);
    expect(await staff.locator('[data-testid=property-edit-new_password] input').count()).toBe(0);
    expect(await staff.locator('[data-testid=property-edit-reauth_password] input').count()).toBe(0);
    await staff.context().close();

    const root = await signIn(SUPERUSER.email, SUPERUSER.password);
    await root.goto(`${base}/admin/resources/auth_user/records/${member.id}/edit`);
    await root.waitForSelector('[data-testid=property-edit-is_staff] input');
    expect(await root.locator('[data-testid=property-edit-new_password] input[type=password]').count()).toBe(1);
    expect(await root.locator('[data-testid=property-edit-reauth_password] input[type=password]').count()).toBe(1);
    await root.context().close();
  });

  it('re-authentication confirm: a masked password field, refused without it, approved with it, cleared after', async () => {
    await RateLimit.destroy({ where: {} });
    const root = (await AuthUser.findOne({ where: { email: SUPERUSER.email } }))!;
    const host = await hostWithAccount();
    await payOrder(await pastEvent(host, 30, '700.00'), { fee: '35.00' });
    const payout = await createPayout(ctxOf(root), { host: host.uuid, currency: 'INR' });
    const page = await signIn(SUPERUSER.email, SUPERUSER.password);
    await page.goto(`${base}/admin/resources/payout/records/${payout.id}/approvePayout`);
    await page.waitForSelector('[data-testid=confirm-command]', { timeout: 30_000 });
    const password = page.locator('[data-testid=confirm-command] input[name=password]');
    expect(await password.getAttribute('type')).toBe('password');

    await page.click('[data-testid=confirm-command-submit]');
    await page.locator('[data-testid=confirm-command]').getByText(/Confirm your password/).waitFor({ timeout: 15_000 });
    expect((await payout.reload()).status).toBe('pending');

    await password.fill(SUPERUSER.password);
    await page.click('[data-testid=confirm-command-submit]');
    await expect.poll(async () => (await payout.reload()).status, { timeout: 15_000 }).toBe('approved');
    expect(await Payout.count({ where: { id: payout.id, status: 'approved', approved_by_id: root.id } })).toBe(1);
    // The row is approved when the server commits; the page clears the field once the answer reaches it.
    await expect.poll(() => password.inputValue(), { timeout: 15_000 }).toBe('');
    await page.context().close();
  });

  /** Picks a real PNG in an image field; returns the stored URL once its thumbnail is on the form. */
  async function uploadInto(page: Page, field: Locator, name: string, width: number, height: number): Promise<string> {
    const png = await sharp(Buffer.alloc(width * height * 3, 90), { raw: { width, height, channels: 3 } }).png().toBuffer();
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/admin/api/uploads') && r.request().method() === 'POST');
    await field.locator('[data-testid=image-field-file]').setInputFiles({ name, mimeType: 'image/png', buffer: png });
    const url = ((await (await uploaded).json()) as { url: string }).url;
    await field.locator(`img[src="${url}"]`).waitFor({ timeout: 15_000 });
    return url;
  }

  /** Saves the open form and waits for AdminJS to leave it (to the list or the record page). */
  async function save(page: Page, resourceId: string): Promise<void> {
    await page.click('[data-testid=button-save]');
    await page.waitForURL(new RegExp(`/admin/resources/${resourceId}(/records/\\d+/show)?(\\?|$)`), { timeout: 15_000 });
  }

  it('uploads a cover on an event edit page, shows its thumbnail, and saves it through the event command', async () => {
    await RateLimit.destroy({ where: {} });
    // Whole seconds, as API clients send them: the form's date picker round-trips seconds, not milliseconds.
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 + 7 * 24 * 3600 * 1000);
    const event = await buildEvent({ status: 'draft', cover_images: [], start_time: start, end_time: new Date(start.getTime() + 3 * 3600 * 1000) });
    const page = await signIn(SUPERUSER.email, SUPERUSER.password);
    const problems = watch(page);
    await page.goto(`${base}/admin/resources/event/records/${event.id}/edit`);
    const field = page.locator('[data-testid=image-field-cover_images]');
    await field.waitFor({ timeout: 30_000 });
    expect(await field.locator('img').count()).toBe(0);

    // A text file named like an image: refused on the field, nothing added.
    await field.locator('[data-testid=image-field-file]').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image\n'.repeat(30)) });
    await field.locator('[data-testid=image-field-error]').getByText(/JPEG, PNG or WebP/).waitFor({ timeout: 15_000 });
    expect(await field.locator('img').count()).toBe(0);

    const url = await uploadInto(page, field, 'cover.png', 80, 60);
    // The thumbnail really loaded from the stored file (CSP and headers allow it).
    await page.waitForFunction((src) => [...document.images].some((i) => i.src === src && i.complete && i.naturalWidth === 80), url, { timeout: 15_000 });
    expect(await field.locator('[data-testid=image-field-error]').count()).toBe(0);

    await save(page, 'event');
    expect((await event.reload()).cover_images).toEqual([url]);
    const audit = await AuditLog.findOne({ where: { object_type: 'event', object_id: event.id, command: 'events.update' } });
    expect(audit?.new_values).toEqual({ cover_images: [url] });

    await page.goto(`${base}/admin/resources/event/records/${event.id}/show`);
    await page.locator(`[data-testid=property-show-cover_images] img[src="${url}"]`).waitFor({ timeout: 15_000 });
    // The one refusal is the text file's.
    expect(problems).toEqual([`415 ${base}/admin/api/uploads`]);
    await page.context().close();
  });

  it("replaces a member's picture on the profile edit page (upload, Remove, Save)", async () => {
    await RateLimit.destroy({ where: {} });
    const member = await buildUser({ profile: { profile_pictures: ['https://img.example/old.jpg'] } });
    const profile = (await UserProfile.findOne({ where: { user_id: member.id } }))!;
    const page = await signIn(SUPERUSER.email, SUPERUSER.password);
    await page.goto(`${base}/admin/resources/user_profile/records/${profile.id}/edit`);
    const field = page.locator('[data-testid=image-field-profile_pictures]');
    await field.waitFor({ timeout: 30_000 });
    const url = await uploadInto(page, field, 'me.png', 30, 30);
    await field.locator('[data-testid=image-field-item]').first().locator('[data-testid=image-field-remove]').click();
    expect(await field.locator('[data-testid=image-field-item]').count()).toBe(1);
    await save(page, 'user_profile');
    expect((await profile.reload()).profile_pictures).toEqual([url]);
    const audit = await AuditLog.findOne({ where: { object_type: 'user_profile', object_id: profile.id, command: 'auth.staff_update_profile' } });
    expect(audit?.new_values).toEqual({ profile_pictures: [url] });
    await page.context().close();
  });

  it('refuses a non-staff user', async () => {
    await RateLimit.destroy({ where: {} });
    await buildUser({ email: 'member@loopin.test', password: await hashPassword('member-password') });
    const page = await signIn('member@loopin.test', 'member-password');
    expect(page.url()).toMatch(/\/admin\/login$/);
    await page.getByText('Invalid email or password').waitFor({ timeout: 15_000 });
    await page.goto(`${base}/admin/resources/venue`);
    expect(page.url()).toMatch(/\/admin\/login$/);
    await page.context().close();
  });

  it('rate-limits the sixth sign-in after five wrong passwords', async () => {
    await RateLimit.destroy({ where: {} });
    for (let i = 0; i < 5; i++) {
      const page = await signIn(SUPERUSER.email, `wrong-password-${i}`);
      await page.getByText('Invalid email or password').waitFor({ timeout: 15_000 });
      await page.context().close();
    }
    const page = await signIn(SUPERUSER.email, SUPERUSER.password);
    await page.getByText('Too many failed sign-in attempts').waitFor({ timeout: 15_000 });
    expect(page.url()).toMatch(/\/admin\/login$/);
    await page.context().close();
  });
});
