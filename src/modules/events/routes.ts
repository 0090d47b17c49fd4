import { Router } from 'express';

/** events API (filled by its domain issue). */
export const router = Router();
