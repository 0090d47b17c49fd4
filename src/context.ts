import type { Transaction } from 'sequelize';
import type { Request } from 'express';
import { clock } from './lib/clock.js';

/** Who is acting. `null` actor = the system itself (jobs, webhooks, seeders). */
export interface Actor {
  id: number;
  uuid: string;
  is_staff: boolean;
  is_superuser: boolean;
  email?: string | null;
}

export type Source = 'api' | 'admin' | 'job' | 'webhook' | 'system' | 'seed';

/** What every command receives: the actor, where the call came from, and the clock. */
export interface Context {
  actor: Actor | null;
  source: Source;
  transaction?: Transaction;
  ip?: string | null;
  userAgent?: string | null;
  sessionKey?: string | null;
  requestId?: string | null;
  now(): Date;
}

export function createContext(init: Partial<Omit<Context, 'now'>> & { source: Source }): Context {
  return { actor: null, ...init, now: () => clock.now() };
}

export const systemContext = (source: Source = 'system'): Context => createContext({ source });

/** The context of an API request (after authentication has set `req.actor`). */
export function contextFrom(req: Request): Context {
  return createContext({
    actor: req.actor ?? null,
    source: 'api',
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    requestId: String(req.id ?? ''),
  });
}

export function isStaff(actor: Actor | null): boolean {
  return !!actor && (actor.is_staff || actor.is_superuser);
}
