import { z } from '../../lib/zod.js';
import { UPLOAD_CONTENT_TYPES } from '../../models/index.js';

export const UploadForm = z.object({
  file: z.string().openapi({ format: 'binary', description: 'A JPEG, PNG or WebP image (by content), at most 5 MB' }),
}).openapi('UploadForm');

export const UploadOut = z.object({
  uuid: z.uuid(),
  url: z.string().openapi({ description: 'Stable URL of the stored image; accepted in profile_pictures and cover_images' }),
  content_type: z.enum(UPLOAD_CONTENT_TYPES),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  byte_size: z.number().int().positive(),
}).openapi('Upload');

/** `<uuid>.<ext>`: the only keys ever stored, so anything else is a 404 without touching storage. */
export const UPLOAD_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp)$/;
export const UploadKeyParams = z.object({
  key: z.string().openapi({ pattern: UPLOAD_KEY.source, example: '0b5a3c1e-8f2d-4c6b-9a7e-1d2f3a4b5c6d.webp' }),
});
