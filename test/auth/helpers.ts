import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { Response } from 'supertest';
import { api } from '../support/app.js';
import { consoleOutbox } from '../../src/modules/auth/sms/console.js';

/** A fresh client address per test, so per-IP windows of one test never leak into another. */
export const newIp = () => `10.${crypto.randomInt(0, 256)}.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;

/** The code of the newest text the console provider sent to `phone` (read like a person reads their phone). */
export function lastCode(phone: string): string {
  const message = consoleOutbox.filter((m) => m.to === phone).at(-1);
  if (!message) throw new Error(`no SMS was sent to ${phone}`);
  const runs = message.body.match(/\d{4,}/g) ?? [];
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatch(/^\d{4}$/);
  return runs[0]!;
}

export const sentTo = (phone: string) => consoleOutbox.filter((m) => m.to === phone).length;

/** A code that is certainly wrong for `phone`. */
export const wrongCode = (right: string) => String((Number(right) + 1) % 10000).padStart(4, '0');

export async function signup(phone: string, ip = newIp()): Promise<Response> {
  return (await api()).post('/api/auth/signup').set('X-Forwarded-For', ip).send({ phone_number: phone });
}

export async function verify(phone: string, code: string, ip = newIp()): Promise<Response> {
  return (await api()).post('/api/auth/verify-otp').set('X-Forwarded-For', ip).send({ phone_number: phone, otp_code: code });
}

/** Signup + verify through HTTP; returns the login body. */
export async function login(phone: string): Promise<{
  access_token: string; refresh_token: string; user: { uuid: string; phone_number: string }; profile_complete: boolean;
}> {
  expect((await signup(phone)).status).toBe(200);
  const res = await verify(phone, lastCode(phone));
  expect(res.status).toBe(200);
  return res.body;
}

export function expectProblem(res: Response, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field) {
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields.some((f) => f === field || f.startsWith(`${field}.`)), `errors ${JSON.stringify(fields)} name ${field}`).toBe(true);
  }
}
