import type { Router } from 'express';
import { router as auth } from './auth/routes.js';
import { router as venues } from './venues/routes.js';
import { router as events } from './events/routes/index.js';
import { router as joining } from './joining/routes/index.js';
import { router as notifications } from './notifications/routes.js';
import { router as payments } from './payments/routes.js';
import { router as attendance } from './attendance/routes.js';
import { router as media } from './media/routes.js';
import { router as webhooks } from './webhooks/routes.js';
import { router as money } from './money/routes.js';
import { router as availability } from './availability/routes.js';

/** Every domain's JSON API router, mounted under /api in this order. */
export const apiRouters: Router[] = [auth, venues, events, joining, notifications, payments, attendance, media, webhooks, money, availability];
