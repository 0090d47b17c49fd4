import { Router } from 'express';

/** payments API (filled by its domain issue). */
export const router = Router();
