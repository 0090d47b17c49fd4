import type { Router } from 'express';
import { router as auth } from './auth/routes.js';
import { router as venues } from './venues/routes.js';
import { router as events } from './events/routes/index.js';
import { router as joining } from './joining/routes.js';
import { router as notifications } from './notifications/routes.js';
import { router as payments } from './payments/routes.js';
import { router as attendance } from './attendance/routes.js';

/** Every domain's JSON API router, mounted under /api in this order. */
export const apiRouters: Router[] = [auth, venues, events, joining, notifications, payments, attendance];
