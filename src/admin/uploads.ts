import { Router } from 'express';
import { AppError } from '../lib/errors.js';
import { UPLOAD_LIMITS, storeUpload } from '../modules/media/commands.js';
import { readSingleFile, tooLarge } from '../modules/media/multipart.js';
import { presentUpload, publicBase } from '../modules/media/presenter.js';
import { adminContext } from './context.js';

/** The panel's upload door, relative to the panel root (/admin); the image fields post here. */
export const PANEL_UPLOAD_PATH = '/api/uploads';
/** The one panel path whose body may exceed the forms' 1 MB: the file limit plus multipart framing. */
export const PANEL_UPLOAD_BODY = { bytes: UPLOAD_LIMITS.fileBytes + 64 * 1024, detail: tooLarge(UPLOAD_LIMITS) } as const;

/**
 * POST /admin/api/uploads: the API's upload command (same busboy limits, type by content, sharp
 * re-encode, storage seam, audit) for the signed-in staff member; it answers the stored URL, which
 * the form then saves through the event or profile command. Mounted after the same-origin guard
 * and the staff session guard, and before AdminJS's own multipart parser ever sees the body
 * (docs/decisions/1030-panel-uploads.md). Refusals are problem+json, shown on the field.
 */
export function panelUploads(): Router {
  const router = Router();
  router.post(PANEL_UPLOAD_PATH, (req, res, next) => {
    (async () => {
      const file = await readSingleFile(req, UPLOAD_LIMITS);
      const upload = await storeUpload(adminContext(req.session.adminUser, req), file);
      res.status(201).json(presentUpload(upload, publicBase(req)));
    })().catch(next);
  });
  // Only a POST stores anything; every other method is told so instead of reaching AdminJS.
  router.all(PANEL_UPLOAD_PATH, (_req, _res, next) => {
    next(new AppError(405, 'Method not allowed', 'Uploads are POST only', [], { Allow: 'POST' }));
  });
  return router;
}
