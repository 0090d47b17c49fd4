import type { Express } from 'express';
import supertest from 'supertest';
import { buildApp, type AppOptions } from '../../src/app.js';
import { signAccessToken } from '../../src/lib/jwt.js';

let cached: Express | undefined;

/** The app built in process (once per file). */
export async function testApp(options: AppOptions = { admin: false }): Promise<Express> {
  cached ??= await buildApp(options);
  return cached;
}

/** A supertest agent over the in-process app. */
export async function api() {
  return supertest(await testApp());
}

/** `Authorization` header value for a user (any object with a uuid). */
export async function bearer(user: { uuid: string }): Promise<string> {
  return `Bearer ${await signAccessToken(user.uuid)}`;
}
