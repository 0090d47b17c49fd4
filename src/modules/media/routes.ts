import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import { z } from '../../lib/zod.js';
import { UPLOAD_CONTENT_TYPES } from '../../models/index.js';
import { endpoint } from '../../http/endpoint.js';
import { UPLOAD_LIMITS, findUpload, openUpload, storeUpload } from './commands.js';
import { readSingleFile } from './multipart.js';
import { presentUpload, publicBase } from './presenter.js';
import { UploadForm, UploadKeyParams, UploadOut } from './schema.js';
import { CACHE_CONTROL } from './storage.js';

/** Media (API.md "Media"): image uploads, and serving them at a stable URL. */
export const router = Router();
const tags = ['Media'];

endpoint(router, {
  method: 'post', path: '/uploads', tags, auth: 'required', status: 201, errors: [413, 415],
  summary: 'Upload one image (JPEG, PNG or WebP by content, ≤ 5 MB); it is re-encoded without metadata',
  multipart: UploadForm, response: UploadOut,
  handler: async ({ ctx, req }) => {
    const file = await readSingleFile(req, UPLOAD_LIMITS);
    return presentUpload(await storeUpload(ctx, file), publicBase(req));
  },
});

endpoint(router, {
  method: 'get', path: '/uploads/{key}', tags, auth: 'none', errors: [404], params: UploadKeyParams,
  summary: 'An uploaded image (cached for a year: a key never changes content)',
  media: Object.fromEntries(UPLOAD_CONTENT_TYPES.map((t) => [t, z.string().openapi({ format: 'binary' })])),
  handler: async ({ params, req, res }) => {
    const upload = await findUpload(params.key);
    const etag = `"${upload.sha256}"`;
    res.set({
      'Cache-Control': CACHE_CONTROL,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
      ETag: etag,
    });
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    const object = await openUpload(upload);
    res.status(200).set({
      'Content-Type': upload.content_type,
      'Content-Disposition': 'inline',
      ...(object.size !== null ? { 'Content-Length': String(object.size) } : {}),
    });
    await pipeline(object.body, res);
  },
});
