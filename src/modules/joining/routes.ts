import { Router } from 'express';
import { mountAttendeeRoutes } from './routes/attendees.js';
import { mountInviteRoutes } from './routes/invites.js';
import { mountRequestRoutes } from './routes/requests.js';

/** The joining API: requests, invites (direct and share links) and attendees. */
export const router = Router();
mountRequestRoutes(router);
mountInviteRoutes(router);
mountAttendeeRoutes(router);
