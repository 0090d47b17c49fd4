import crypto from 'node:crypto';
import type { Context } from '../../context.js';
import { withTransaction } from '../../db/transaction.js';
import { NotFound, ServiceUnavailable, Unauthorized } from '../../lib/errors.js';
import { logger } from '../../lib/logger.js';
import { MediaUpload } from '../../models/index.js';
import { audit } from '../audit/writer.js';
import { extensionOf, reencode } from './image.js';
import { storage, type StoredObject } from './storage.js';
import { UPLOAD_KEY } from './schema.js';

/** API.md "Media": one file, at most 5 MB. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** The multipart limits of every upload door (the API's POST /api/uploads and the panel's). */
export const UPLOAD_LIMITS = { fileBytes: MAX_UPLOAD_BYTES, fields: 4 } as const;

/**
 * Stores an uploaded image: type judged by content, re-encoded without metadata, written through
 * the storage seam under a new random key, recorded with its owner and dimensions (audited).
 * The object is written before the row commits: a failed commit leaves an orphan file that no
 * URL names, never a row without its file.
 */
export async function storeUpload(ctx: Context, file: Buffer): Promise<MediaUpload> {
  if (!ctx.actor) throw new Unauthorized();
  const image = await reencode(file);
  const uuid = crypto.randomUUID();
  const key = `${uuid}.${extensionOf(image.type)}`;
  await storage().put(key, image.data, image.type).catch(unavailable);
  return withTransaction(ctx, async (tx, ctx) => {
    const upload = await MediaUpload.create({
      uuid, owner_id: ctx.actor!.id, storage_key: key, content_type: image.type, byte_size: image.data.length,
      width: image.width, height: image.height, sha256: crypto.createHash('sha256').update(image.data).digest('hex'),
    }, { transaction: tx });
    await audit(ctx, {
      action: 'create', command: 'media.upload', object: { type: 'media_upload', id: upload.id, uuid: upload.uuid },
      newValues: { storage_key: key, content_type: image.type, width: image.width, height: image.height, byte_size: image.data.length },
    });
    return upload;
  });
}

/** The record of a stored upload by key; unknown keys are 404. */
export async function findUpload(key: string): Promise<MediaUpload> {
  if (!UPLOAD_KEY.test(key)) throw new NotFound('Upload');
  const upload = await MediaUpload.findOne({ where: { storage_key: key } });
  if (!upload) throw new NotFound('Upload');
  return upload;
}

/** The stored bytes of an upload (404 if the object is gone, 503 if storage cannot be reached). */
export async function openUpload(upload: MediaUpload): Promise<StoredObject> {
  const object = await storage().get(upload.storage_key).catch(unavailable);
  if (!object) throw new NotFound('Upload');
  return object;
}

function unavailable(err: unknown): never {
  logger.error({ err }, 'upload storage failed');
  throw new ServiceUnavailable('Upload storage is unavailable; try again shortly');
}
