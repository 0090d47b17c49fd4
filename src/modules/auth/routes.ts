import { Router } from 'express';

/** auth API (filled by its domain issue). */
export const router = Router();
