import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { config } from '../../config.js';

/**
 * The one storage seam for uploads: local disk under the data dir by default (`file://…`), or an
 * S3-compatible bucket (`s3://bucket/optional-prefix`, through the official AWS SDK v3, with
 * S3_ENDPOINT for non-AWS servers). Either way files are served by GET /api/uploads/{key}, so an
 * uploaded URL does not change when the backend does.
 */
export interface StoredObject {
  body: Readable;
  size: number | null;
}

export interface Storage {
  readonly kind: 'file' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** null when no such object exists. */
  get(key: string): Promise<StoredObject | null>;
}

class DiskStorage implements Storage {
  readonly kind = 'file' as const;
  constructor(readonly dir: string) {}

  async put(key: string, body: Buffer): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    // Written aside, then renamed: a reader never sees half a file.
    const tmp = path.join(this.dir, `.${key}.${process.pid}.tmp`);
    await fs.promises.writeFile(tmp, body, { mode: 0o640 });
    await fs.promises.rename(tmp, path.join(this.dir, key));
  }

  async get(key: string): Promise<StoredObject | null> {
    const file = path.join(this.dir, key);
    try {
      const stat = await fs.promises.stat(file);
      return { body: fs.createReadStream(file), size: stat.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}

// The AWS SDK is loaded with the first S3 call, not at start (≈ 0.2 s of CPU; disk storage never needs it).
const s3 = () => import('@aws-sdk/client-s3');

class BucketStorage implements Storage {
  readonly kind = 's3' as const;
  #client: S3Client | undefined;
  constructor(readonly options: S3ClientConfig, readonly bucket: string, readonly prefix: string) {}

  private async client(): Promise<S3Client> {
    const { S3Client } = await s3();
    return (this.#client ??= new S3Client(this.options));
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const [client, { PutObjectCommand }] = await Promise.all([this.client(), s3()]);
    await client.send(new PutObjectCommand({
      Bucket: this.bucket, Key: this.prefix + key, Body: body, ContentType: contentType, CacheControl: CACHE_CONTROL,
    }));
  }

  async get(key: string): Promise<StoredObject | null> {
    const [client, { GetObjectCommand, NoSuchKey }] = await Promise.all([this.client(), s3()]);
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      if (!out.Body) return null;
      return { body: out.Body as Readable, size: out.ContentLength ?? null };
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
      throw err;
    }
  }
}

/** Uploads never change once stored (every key is new), so caches may keep them for a year. */
export const CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The storage STORAGE_URL names (see the class comments); built from the given config. */
export function storageFrom(cfg: Pick<ReturnType<typeof config>, 'STORAGE_URL' | 'DATA_DIR' | 'S3_ENDPOINT' | 'AWS_REGION' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY'>): Storage {
  const url = cfg.STORAGE_URL;
  if (!url || url === 'file://') return new DiskStorage(path.resolve(cfg.DATA_DIR, 'uploads'));
  if (url.startsWith('file://')) return new DiskStorage(path.resolve(fileURLToPath(url)));
  const parsed = new URL(url);
  const prefix = parsed.pathname.replace(/^\/+/, '');
  const options: S3ClientConfig = {
    region: cfg.AWS_REGION ?? 'us-east-1',
    // Non-AWS servers (MinIO, R2, …): path-style addressing, and checksums only where S3 requires them.
    ...(cfg.S3_ENDPOINT ? {
      endpoint: cfg.S3_ENDPOINT, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    } as const : {}),
    ...(cfg.AWS_ACCESS_KEY_ID && cfg.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: cfg.AWS_ACCESS_KEY_ID, secretAccessKey: cfg.AWS_SECRET_ACCESS_KEY } }
      : {}),
  };
  return new BucketStorage(options, parsed.hostname, prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix);
}

let current: { url: string | undefined; storage: Storage } | undefined;

/** The process's storage, rebuilt when the configured STORAGE_URL changes (tests switch it). */
export function storage(): Storage {
  const cfg = config();
  if (!current || current.url !== cfg.STORAGE_URL) current = { url: cfg.STORAGE_URL, storage: storageFrom(cfg) };
  return current.storage;
}
