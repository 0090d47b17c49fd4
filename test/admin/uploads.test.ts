import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, loadConfig, setConfig } from '../../src/config.js';
import { sequelize } from '../../src/db/connection.js';
import { AuditLog, type AuthUser, Event, EventImage, MediaUpload, UserProfile } from '../../src/models/index.js';
import { buildEvent, buildUser } from '../support/factories.js';
import { browserAgent, staffAgent, superuserAgent, type Agent } from './support.js';

/**
 * The panel's image fields, through its HTTP API: the file goes to the panel's upload door (the
 * API's upload command), the stored URL is saved by the edit form through the event, event-image
 * or profile command. Storage is a directory of this file's own, so "no file was written" holds
 * whatever other test files upload meanwhile.
 */
const original = config();
let dir: string;
let staff: Agent;
let staffUser: AuthUser;
let superAgent: Agent;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopin-panel-uploads-'));
  setConfig(loadConfig({ ...process.env, STORAGE_URL: pathToFileURL(dir).href }));
  superAgent = await superuserAgent();
  ({ agent: staff, staff: staffUser } = await staffAgent());
});
afterAll(() => {
  setConfig(original);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A real PNG (noise, so it cannot compress to nothing), optionally carrying EXIF with GPS. */
async function png(width = 64, height = 48, withGps = false): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
  let img = sharp(raw, { raw: { width, height, channels: 3 } });
  if (withGps) {
    img = img.withExif({ IFD0: { Make: 'Loopin test camera' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '12/1 58/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '77/1 35/1 0/1' } });
  }
  return img.png().toBuffer();
}

const upload = (agent: Agent, file: Buffer, filename: string) => agent.post('/admin/api/uploads').attach('file', file, { filename, contentType: 'image/png' });
const stored = () => fs.readdirSync(dir).filter((f) => !f.startsWith('.'));
const keyOf = (url: string) => new URL(url).pathname.split('/').pop()!;

/** Everything an upload or a save could touch. */
async function state() {
  const [counts] = await sequelize().query<Record<string, number>>(
    `select (select count(*)::int from media_upload) as uploads, (select count(*)::int from audit_log) as audits,
            (select count(*)::int from event_image) as images`, { type: QueryTypes.SELECT },
  );
  const covers = await Event.findAll({ attributes: ['id', 'cover_images', 'updated_at'], order: [['id', 'ASC']] });
  return { ...counts, files: stored(), covers: JSON.stringify(covers) };
}

async function nothingChanges(act: () => Promise<void>) {
  const before = await state();
  await act();
  expect(await state()).toEqual(before);
}

describe('event covers uploaded in the panel', () => {
  it('stores a real PNG without its EXIF, and the edit form saves its URL through updateEvent, audited as the staff member', async () => {
    const event = await buildEvent({ status: 'draft', cover_images: ['https://img.example/old.jpg'] });
    const original = await png(64, 48, true);
    expect((await sharp(original).metadata()).exif).toBeDefined();

    const res = await upload(staff, original, 'cover.png');
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ content_type: 'image/png', width: 64, height: 48 });
    expect(res.body.url).toMatch(/^http:\/\/admin\.test\/api\/uploads\/[0-9a-f-]{36}\.png$/);
    const key = keyOf(res.body.url);
    expect(stored()).toContain(key);
    const file = fs.readFileSync(path.join(dir, key));
    const meta = await sharp(file).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 64, height: 48 });
    expect(meta.exif).toBeUndefined();
    expect(file.toString('latin1')).not.toContain('Loopin test camera');
    const row = await MediaUpload.findOne({ where: { storage_key: key } });
    expect(row?.owner_id).toBe(staffUser.id);

    // The form sends the whole record back, the new URL appended to the list.
    const saved = await staff.post(`/admin/api/resources/event/records/${event.id}/edit`).type('form')
      .send({ title: event.title, 'cover_images.0': 'https://img.example/old.jpg', 'cover_images.1': res.body.url });
    expect(saved.body.notice?.type, JSON.stringify(saved.body)).toBe('success');
    expect((await event.reload()).cover_images).toEqual(['https://img.example/old.jpg', res.body.url]);

    const uploadAudit = await AuditLog.findOne({ where: { command: 'media.upload', object_id: row!.id } });
    expect(uploadAudit?.actor_user_id).toBe(staffUser.id);
    expect(uploadAudit?.payload).toMatchObject({ source: 'admin' });
    const updates = await AuditLog.findAll({ where: { object_type: 'event', object_id: event.id, command: 'events.update' } });
    expect(updates).toHaveLength(1);
    expect(updates[0]!.actor_user_id).toBe(staffUser.id);
    expect(updates[0]!.old_values).toEqual({ cover_images: ['https://img.example/old.jpg'] });
    expect(updates[0]!.new_values).toEqual({ cover_images: ['https://img.example/old.jpg', res.body.url] });

    // The stored URL serves the re-encoded file.
    const served = await staff.get(new URL(res.body.url).pathname);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');

    // The record page and the list carry the covers for their thumbnails.
    const show = await staff.get(`/admin/api/resources/event/records/${event.id}/show`);
    expect(show.body.record.params['cover_images.1']).toBe(res.body.url);
    const list = await staff.get('/admin/api/resources/event/actions/list');
    expect(list.body.records.find((r: { id: string }) => Number(r.id) === event.id).params['cover_images.1']).toBe(res.body.url);
  });

  it('removes a cover through updateEvent, and refuses an emptied or over-full list as a form error', async () => {
    const event = await buildEvent({ cover_images: ['https://img.example/a.jpg', 'https://img.example/b.jpg'] });
    const removed = await staff.post(`/admin/api/resources/event/records/${event.id}/edit`).type('form')
      .send({ 'cover_images.0': 'https://img.example/b.jpg' });
    expect(removed.body.notice?.type, JSON.stringify(removed.body)).toBe('success');
    expect((await event.reload()).cover_images).toEqual(['https://img.example/b.jpg']);
    const audit = await AuditLog.findOne({ where: { object_type: 'event', object_id: event.id, command: 'events.update' } });
    expect(audit?.new_values).toEqual({ cover_images: ['https://img.example/b.jpg'] });

    await nothingChanges(async () => {
      // What AdminJS sends for an emptied list.
      const emptied = await staff.post(`/admin/api/resources/event/records/${event.id}/edit`).type('form')
        .send({ cover_images: '__FORM_VALUE_EMPTY_ARRAY__' });
      expect(emptied.body.notice?.type).toBe('error');
      expect(Object.keys(emptied.body.record.errors)).toContain('cover_images');
      const four = await staff.post(`/admin/api/resources/event/records/${event.id}/edit`).type('form')
        .send(Object.fromEntries([0, 1, 2, 3].map((i) => [`cover_images.${i}`, `https://img.example/${i}.jpg`])));
      expect(four.body.notice?.type).toBe('error');
    });
  });

  it('leaves the covers alone when another field is edited (a draft without covers saves its title)', async () => {
    const event = await buildEvent({ status: 'draft', cover_images: [] });
    const res = await staff.post(`/admin/api/resources/event/records/${event.id}/edit`).type('form')
      .send({ title: 'Renamed draft', cover_images: '__FORM_VALUE_EMPTY_ARRAY__' });
    expect(res.body.notice?.type, JSON.stringify(res.body)).toBe('success');
    await event.reload();
    expect(event.title).toBe('Renamed draft');
    expect(event.cover_images).toEqual([]);
  });

  it('refuses a renamed text file (415) and an oversize file (413) with a field error, and nothing changes', async () => {
    await nothingChanges(async () => {
      const text = await upload(staff, Buffer.from('I am a text file with an image name\n'.repeat(40)), 'cover.png');
      expect(text.status).toBe(415);
      expect(text.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(text.body.errors).toEqual([{ field: 'file', message: expect.stringMatching(/JPEG, PNG or WebP/) }]);

      const big = await upload(staff, Buffer.concat([await png(), Buffer.alloc(6 * 1024 * 1024, 1)]), 'big.png');
      expect(big.status).toBe(413);
      expect(big.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(big.body.detail).toBe('file must be at most 5 MB');

      const none = await staff.post('/admin/api/uploads').field('note', 'no file');
      expect(none.status).toBe(400);
      expect(none.body.errors).toEqual([{ field: 'file', message: 'is required' }]);
    });
  });

  it('refuses anyone but signed-in staff, from this site, by POST', async () => {
    const { agent, staff: demoted } = await staffAgent();
    await nothingChanges(async () => {
      const anonymous = await (await browserAgent()).post('/admin/api/uploads').attach('file', await png(), 'a.png');
      expect(anonymous.status).toBe(401);

      // Staff rights revoked after sign-in: the session is no longer a staff session.
      await sequelize().query('update auth_user set is_staff = false where id = :id', { replacements: { id: demoted.id } });
      const revoked = await agent.post('/admin/api/uploads').attach('file', await png(), 'a.png');
      expect(revoked.status).toBe(401);

      // A staff session used from another site's page (CSRF).
      const crossSite = await staff.post('/admin/api/uploads').set('Origin', 'https://evil.example').attach('file', await png(), 'a.png');
      expect(crossSite.status).toBe(403);
      const noOrigin = await staff.post('/admin/api/uploads').unset('Origin').attach('file', await png(), 'a.png');
      expect(noOrigin.status).toBe(403);

      // GET never writes: not the upload door, not the edit form with a cover in its query.
      const get = await staff.get('/admin/api/uploads');
      expect(get.status).toBe(405);
      expect(get.headers.allow).toBe('POST');
      const event = await Event.findOne({ order: [['id', 'ASC']] });
      const edit = await staff.get(`/admin/api/resources/event/records/${event!.id}/edit?cover_images.0=https%3A%2F%2Fimg.example%2Fx.jpg`);
      expect(edit.status).toBe(200);
    });
  });
});

describe('event gallery images and profile pictures uploaded in the panel', () => {
  it('adds an uploaded gallery image through addEventImage', async () => {
    const event = await buildEvent();
    const res = await upload(staff, await png(40, 30), 'gallery.png');
    expect(res.status).toBe(201);
    const created = await staff.post('/admin/api/resources/event_image/actions/new').type('form')
      .send({ event_id: String(event.id), image_url: res.body.url });
    expect(created.body.notice?.type, JSON.stringify(created.body)).toBe('success');
    const images = await EventImage.findAll({ where: { event_id: event.id } });
    expect(images.map((i) => i.image_url)).toEqual([res.body.url]);
    const audit = await AuditLog.findOne({ where: { command: 'events.add_image', object_id: images[0]!.id } });
    expect(audit?.actor_user_id).toBe(staffUser.id);
  });

  it("replaces a member's pictures through the profile command; other posted fields stay as they are", async () => {
    const member = await buildUser({ profile: { name: 'Asha Rao', profile_pictures: ['https://img.example/p.jpg'] } });
    const profile = (await UserProfile.findOne({ where: { user_id: member.id } }))!;
    const res = await upload(staff, await png(30, 30), 'me.png');
    expect(res.status).toBe(201);
    const saved = await staff.post(`/admin/api/resources/user_profile/records/${profile.id}/edit`).type('form')
      .send({ 'profile_pictures.0': res.body.url, name: 'Someone Else', bio: 'changed' });
    expect(saved.body.notice?.type, JSON.stringify(saved.body)).toBe('success');
    await profile.reload();
    expect(profile.profile_pictures).toEqual([res.body.url]);
    expect(profile.name).toBe('Asha Rao');
    expect(profile.bio).toBeNull();
    const audit = await AuditLog.findOne({ where: { object_type: 'user_profile', object_id: profile.id, command: 'auth.staff_update_profile' } });
    expect(audit?.actor_user_id).toBe(staffUser.id);
    expect(audit?.old_values).toEqual({ profile_pictures: ['https://img.example/p.jpg'] });
    expect(audit?.new_values).toEqual({ profile_pictures: [res.body.url] });
  });

  it("keeps the profile rules (1–6 pictures) and only lets a superuser change a superuser's pictures", async () => {
    const member = await buildUser();
    const profile = (await UserProfile.findOne({ where: { user_id: member.id } }))!;
    const root = await buildUser({ is_staff: true, is_superuser: true });
    const rootProfile = (await UserProfile.findOne({ where: { user_id: root.id } }))!;
    await nothingChanges(async () => {
      const emptied = await staff.post(`/admin/api/resources/user_profile/records/${profile.id}/edit`).type('form')
        .send({ profile_pictures: '__FORM_VALUE_EMPTY_ARRAY__' });
      expect(emptied.body.notice?.type).toBe('error');
      const seven = await staff.post(`/admin/api/resources/user_profile/records/${profile.id}/edit`).type('form')
        .send(Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((i) => [`profile_pictures.${i}`, `https://img.example/${i}.jpg`])));
      expect(seven.body.notice?.type).toBe('error');
      const superuser = await staff.post(`/admin/api/resources/user_profile/records/${rootProfile.id}/edit`).type('form')
        .send({ 'profile_pictures.0': 'https://img.example/other.jpg' });
      expect(superuser.body.notice?.type).toBe('error');
    });
    const allowed = await superAgent.post(`/admin/api/resources/user_profile/records/${rootProfile.id}/edit`).type('form')
      .send({ 'profile_pictures.0': 'https://img.example/other.jpg' });
    expect(allowed.body.notice?.type, JSON.stringify(allowed.body)).toBe('success');
    expect((await rootProfile.reload()).profile_pictures).toEqual(['https://img.example/other.jpg']);
  });
});
