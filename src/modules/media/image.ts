import type { UploadContentType } from '../../models/index.js';
import { AppError, ValidationFailed } from '../../lib/errors.js';

export class UnsupportedMediaType extends AppError {
  constructor(detail: string) {
    super(415, 'Unsupported media type', detail, [{ field: 'file', message: detail }]);
  }
}

const EXT: Record<UploadContentType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
export const extensionOf = (type: UploadContentType): string => EXT[type];
export const typeOfExtension = (ext: string): UploadContentType | undefined =>
  (Object.entries(EXT).find(([, e]) => e === ext)?.[0] as UploadContentType | undefined);

/** The type by the file's first bytes (its magic number); the name and the declared type are ignored. */
export function sniffImageType(head: Buffer): UploadContentType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** Decoding bombs stop here: 40 megapixels is far beyond any profile picture or cover. */
const MAX_PIXELS = 40_000_000;

export interface Processed {
  type: UploadContentType;
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Re-encodes the image in its own format. Orientation from EXIF is applied to the pixels first;
 * then nothing of the original's metadata (EXIF with GPS, XMP, IPTC, comments) is written, as sharp
 * drops all metadata unless asked to keep it. Only the first frame of an animation is kept.
 */
export async function reencode(input: Buffer): Promise<Processed> {
  const type = sniffImageType(input);
  if (!type) throw new UnsupportedMediaType('file must be a JPEG, PNG or WebP image (judged by its content)');
  // Loaded with the first upload, not at start (≈ 0.17 s of CPU); outside the try: a load failure is no bad image.
  const { default: sharp } = await import('sharp');
  try {
    const pipeline = sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
    const encoded = type === 'image/jpeg' ? pipeline.jpeg({ quality: 85, mozjpeg: true })
      : type === 'image/png' ? pipeline.png({ compressionLevel: 9 })
        : pipeline.webp({ quality: 85 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { type, data, width: info.width, height: info.height };
  } catch {
    throw ValidationFailed.field('file', 'is not a readable image');
  }
}
