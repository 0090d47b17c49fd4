import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { config, loadConfig, setConfig } from '../../src/config.js';
import { freePort } from '../../src/lib/net.js';
import { MediaUpload } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildUser } from '../support/factories.js';

const original = config();
afterEach(() => setConfig(original));

/** A real image made by sharp: noise, so the encoders cannot shrink it to nothing. */
async function image(format: 'png' | 'jpeg' | 'webp', width = 64, height = 48, withGps = false): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
  let img = sharp(raw, { raw: { width, height, channels: 3 } });
  if (withGps) {
    img = img.withExif({ IFD0: { Make: 'Loopin test camera' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '12/1 58/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '77/1 35/1 0/1' } });
  }
  return img.toFormat(format).toBuffer();
}

async function upload(file: Buffer, filename: string, user?: { uuid: string }) {
  const agent = await api();
  const who = user ?? await buildUser();
  return agent.post('/api/uploads').set('Authorization', await bearer(who)).attach('file', file, { filename, contentType: 'image/png' });
}

describe('POST /api/uploads', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('stores a real %s, records it with its owner, and serves it back', async (format) => {
    const user = await buildUser();
    const res = await upload(await image(format, 64, 48), `photo.${format}`, user);
    expect(res.status, res.text).toBe(201);
    const type = `image/${format}`;
    expect(res.body).toMatchObject({ content_type: type, width: 64, height: 48 });
    expect(res.body.url).toMatch(new RegExp(`/api/uploads/[0-9a-f-]{36}\\.(png|jpg|webp)$`));
    const row = await MediaUpload.findOne({ where: { uuid: res.body.uuid } });
    expect(row).toMatchObject({ owner_id: user.id, width: 64, height: 48, content_type: type });

    const agent = await api();
    const served = await agent.get(new URL(res.body.url).pathname).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe(type);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toContain('max-age=31536000');
    const meta = await sharp(served.body as Buffer).metadata();
    expect(meta).toMatchObject({ format, width: 64, height: 48 });
    expect((served.body as Buffer).length).toBe(res.body.byte_size);

    const again = await agent.get(new URL(res.body.url).pathname).set('If-None-Match', served.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('judges the type by content: a text file named .png is 415, a PNG named .txt is accepted', async () => {
    const text = await upload(Buffer.from('hello, I am not an image at all\n'.repeat(20)), 'photo.png');
    expect(text.status).toBe(415);
    expect(text.headers['content-type']).toMatch(/application\/problem\+json/);
    const gif = await upload(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'x.gif');
    expect(gif.status).toBe(415);
    const renamed = await upload(await image('png'), 'notes.txt');
    expect(renamed.status).toBe(201);
    expect(renamed.body.content_type).toBe('image/png');
  });

  it('refuses 6 MB with 413, and other bad input with 400, all problem+json', async () => {
    const big = Buffer.concat([await image('png'), Buffer.alloc(6 * 1024 * 1024, 1)]);
    const tooBig = await upload(big, 'big.png');
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers['content-type']).toMatch(/application\/problem\+json/);

    const agent = await api();
    const auth = await bearer(await buildUser());
    const two = await agent.post('/api/uploads').set('Authorization', auth)
      .attach('file', await image('png'), 'a.png').attach('file', await image('png'), 'b.png');
    expect(two.status).toBe(400);
    const wrongField = await agent.post('/api/uploads').set('Authorization', auth).attach('picture', await image('png'), 'a.png');
    expect(wrongField.status).toBe(400);
    const none = await agent.post('/api/uploads').set('Authorization', auth).field('note', 'no file');
    expect(none.status).toBe(400);
    const manyFields = agent.post('/api/uploads').set('Authorization', auth);
    for (let i = 0; i < 10; i++) manyFields.field(`f${i}`, 'x');
    expect((await manyFields.attach('file', await image('png'), 'a.png')).status).toBe(400);
    const broken = await upload(Buffer.concat([(await image('png')).subarray(0, 40)]), 'cut.png');
    expect(broken.status).toBe(400);
    const json = await agent.post('/api/uploads').set('Authorization', auth).send({ file: 'x' });
    expect(json.status).toBe(415);
    const anonymous = await agent.post('/api/uploads').attach('file', await image('png'), 'a.png');
    expect(anonymous.status).toBe(401);
    for (const r of [two, wrongField, none, broken, json]) expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('strips EXIF (GPS included) while keeping the picture', async () => {
    const original = await image('jpeg', 40, 30, true);
    const before = await sharp(original).metadata();
    expect(before.exif).toBeDefined();
    expect(before.exif!.toString('latin1')).toContain('Loopin test camera');
    const res = await upload(original, 'gps.jpg');
    expect(res.status).toBe(201);
    const stored = await MediaUpload.findOne({ where: { uuid: res.body.uuid } });
    const file = fs.readFileSync(path.resolve(config().DATA_DIR, 'uploads', stored!.storage_key));
    const after = await sharp(file).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(file.toString('latin1')).not.toContain('Loopin test camera');
    expect(after).toMatchObject({ width: 40, height: 30 });
  });

  it('gives URLs that profile_pictures and cover_images accept', async () => {
    const host = await buildUser();
    const res = await upload(await image('webp'), 'cover.webp', host);
    const agent = await api();
    const profile = await agent.patch('/api/auth/profile').set('Authorization', await bearer(host)).send({ profile_pictures: [res.body.url] });
    expect(profile.status, profile.text).toBe(200);
    expect(profile.body.profile_pictures).toEqual([res.body.url]);
    const event = await buildEvent({ host, status: 'draft' });
    const patched = await agent.patch(`/api/events/${event.uuid}`).set('Authorization', await bearer(host)).send({ cover_images: [res.body.url] });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.cover_images).toEqual([res.body.url]);
  });

  it('answers 404 for an unknown upload key and for a malformed one (never a path into storage)', async () => {
    const agent = await api();
    expect((await agent.get('/api/uploads/00000000-0000-4000-8000-000000000000.png')).status).toBe(404);
    expect((await agent.get('/api/uploads/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });
});

describe('POST /api/uploads with STORAGE_URL=s3://… (in-process S3-compatible server)', () => {
  let server: S3rver;
  let dir: string;
  let endpoint: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopin-s3-'));
    const port = await freePort();
    server = new S3rver({ address: '127.0.0.1', port, silent: true, directory: dir, configureBuckets: [{ name: 'loopin-media' }] });
    await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the re-encoded image to the bucket and serves it from there', async () => {
    setConfig(loadConfig({
      ...process.env, STORAGE_URL: 's3://loopin-media/uploads', S3_ENDPOINT: endpoint,
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }));
    const res = await upload(await image('png', 20, 10, false), 'bucket.png');
    expect(res.status, res.text).toBe(201);
    const key = new URL(res.body.url).pathname.split('/').pop()!;
    expect(fs.existsSync(path.resolve(original.DATA_DIR, 'uploads', key))).toBe(false);

    const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const object = await s3.send(new GetObjectCommand({ Bucket: 'loopin-media', Key: `uploads/${key}` }));
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    expect(object.ContentType).toBe('image/png');
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 20, height: 10 });

    const agent = await api();
    const served = await agent.get(new URL(res.body.url).pathname);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(Number(served.headers['content-length'])).toBe(bytes.length);
  });
});
