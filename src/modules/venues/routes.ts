import { Router } from 'express';

/** venues API (filled by its domain issue). */
export const router = Router();
