import { Router } from 'express';

/** notifications API (filled by its domain issue). */
export const router = Router();
