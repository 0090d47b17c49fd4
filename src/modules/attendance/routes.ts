import { Router } from 'express';

/** attendance API (filled by its domain issue). */
export const router = Router();
