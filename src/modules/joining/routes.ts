import { Router } from 'express';

/** joining API (filled by its domain issue). */
export const router = Router();
