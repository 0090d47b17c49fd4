import type { Express } from 'express';
import supertest from 'supertest';
import { buildApp } from '../../src/app.js';
import { seedReference } from '../../seeders/reference.js';
import { AuthUser } from '../../src/models/index.js';
import { hashPassword } from '../../src/lib/password.js';
import { buildStaff } from '../support/factories.js';

export const ORIGIN = 'http://admin.test';
export const SUPERUSER = { email: 'admin@loopin.test', password: 'correct-horse-battery' };

let app: Express | undefined;

/** The app with the panel mounted (built once per test file; components are never bundled here). */
export async function adminApp(): Promise<Express> {
  app ??= await buildApp({ admin: true });
  return app;
}

/** A supertest agent that keeps cookies and presents itself as a same-origin browser page. */
export async function browserAgent() {
  const agent = supertest.agent(await adminApp());
  return agent.set('Host', 'admin.test').set('Origin', ORIGIN).set('User-Agent', 'vitest-admin/1.0');
}

export type Agent = Awaited<ReturnType<typeof browserAgent>>;

/** Signs the agent in through the login form; returns the response (302 on success). */
export async function login(agent: Agent, email: string, password: string) {
  return agent.post('/admin/login').type('form').send({ email, password });
}

export async function superuserAgent(): Promise<Agent> {
  await seedReference();
  const agent = await browserAgent();
  const res = await login(agent, SUPERUSER.email, SUPERUSER.password);
  if (res.status !== 302) throw new Error(`superuser login failed: ${res.status}`);
  return agent;
}

/** A staff (not superuser) member with a known password, signed in. */
export async function staffAgent(): Promise<{ agent: Agent; staff: AuthUser }> {
  const staff = await buildStaff({ password: await hashPassword('staff-password-1') });
  const agent = await browserAgent();
  const res = await login(agent, staff.email!, 'staff-password-1');
  if (res.status !== 302) throw new Error(`staff login failed: ${res.status}`);
  return { agent, staff };
}

/** The session cookie set by a response. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('loopin.admin.sid='));
}
