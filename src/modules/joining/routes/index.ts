import { Router } from 'express';
import { mountAttendeeRoutes } from './attendees.js';
import { mountInviteRoutes } from './invites.js';
import { mountRequestRoutes } from './requests.js';

/** The joining API: requests, invites (direct and share links) and attendees. */
export const router = Router();
mountRequestRoutes(router);
mountInviteRoutes(router);
mountAttendeeRoutes(router);
