import busboy from 'busboy';
import type { Request } from 'express';
import { PayloadTooLarge, ValidationFailed } from '../../lib/errors.js';
import { UnsupportedMediaType } from './image.js';

export interface Limits {
  /** Largest file accepted, in bytes. */
  fileBytes: number;
  /** Other form fields allowed beside the file. */
  fields: number;
}

/**
 * Reads the one `file` part of a multipart/form-data request into memory, within limits enforced
 * by busboy while streaming (never after buffering everything): too large → 413, more than one
 * file, an unknown part or too many fields → 400. The rest of an oversized body is drained so
 * the client always reads the answer.
 */
export function readSingleFile(req: Request, limits: Limits): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) {
    return Promise.reject(new UnsupportedMediaType('the body must be multipart/form-data with one `file`'));
  }
  const declared = Number(req.headers['content-length']);
  return new Promise<Buffer>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { fileSize: limits.fileBytes, files: 1, fields: limits.fields, parts: limits.fields + 1, fieldSize: 1024, fieldNameSize: 100 },
      });
    } catch {
      reject(ValidationFailed.field('body', 'is not valid multipart/form-data'));
      return;
    }
    let failure: Error | null = Number.isFinite(declared) && declared > limits.fileBytes + 64 * 1024 ? new PayloadTooLarge(tooLarge(limits)) : null;
    const chunks: Buffer[] = [];
    let seen = false;
    const fail = (err: Error) => {
      failure ??= err;
    };
    bb.on('file', (name, stream) => {
      if (name !== 'file' || seen || failure) {
        if (!failure) fail(ValidationFailed.field(name === 'file' ? 'file' : name, name === 'file' ? 'only one file is allowed' : 'unexpected file part; send it as `file`'));
        stream.resume();
        return;
      }
      seen = true;
      stream.on('data', (chunk: Buffer) => {
        if (!failure) chunks.push(chunk);
      });
      stream.on('limit', () => fail(new PayloadTooLarge(tooLarge(limits))));
    });
    bb.on('filesLimit', () => fail(ValidationFailed.field('file', 'only one file is allowed')));
    bb.on('fieldsLimit', () => fail(ValidationFailed.field('body', `at most ${limits.fields} form fields`)));
    bb.on('partsLimit', () => fail(ValidationFailed.field('body', 'too many parts')));
    bb.on('error', () => {
      fail(ValidationFailed.field('body', 'is not valid multipart/form-data'));
      req.unpipe(bb);
      req.resume();
      reject(failure);
    });
    bb.on('close', () => {
      if (failure) return reject(failure);
      if (!seen) return reject(ValidationFailed.field('file', 'is required'));
      const file = Buffer.concat(chunks);
      if (file.length === 0) return reject(ValidationFailed.field('file', 'is empty'));
      resolve(file);
    });
    req.on('aborted', () => fail(ValidationFailed.field('body', 'the upload was interrupted')));
    req.pipe(bb);
  });
}

export const tooLarge = (l: Limits) => `file must be at most ${Math.floor(l.fileBytes / (1024 * 1024))} MB`;
