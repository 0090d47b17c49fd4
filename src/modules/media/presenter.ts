import type { Request } from 'express';
import { config } from '../../config.js';
import type { MediaUpload } from '../../models/index.js';

/** Where uploads are served from: PUBLIC_URL when set, else the origin the request came to (API and panel alike). */
export const publicBase = (req: Request): string => config().PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;

/** The public URL of an upload: PUBLIC_URL when set, else the origin the request came to. */
export function uploadUrl(base: string, key: string): string {
  return `${base.replace(/\/+$/, '')}/api/uploads/${key}`;
}

export function presentUpload(u: MediaUpload, base: string) {
  return {
    uuid: u.uuid,
    url: uploadUrl(base, u.storage_key),
    content_type: u.content_type,
    width: u.width,
    height: u.height,
    byte_size: u.byte_size,
  };
}
