import { describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serializers } from '../../src/http/request-log.js';

describe('request log line', () => {
  it('names the request without its headers: credentials and cookies never reach the log', () => {
    const req = {
      id: 'r-1', method: 'GET', url: '/events?city=pune', originalUrl: '/api/events?city=pune', socket: { remoteAddress: '10.0.0.7' },
      headers: { authorization: 'Bearer eyJsecret', cookie: 'loopin.sid=abc', 'user-agent': 'LoopinApp/3.1' },
    } as unknown as IncomingMessage;
    const line = serializers.req(req);
    expect(line).toEqual({ id: 'r-1', method: 'GET', url: '/api/events?city=pune', remoteAddress: '10.0.0.7', userAgent: 'LoopinApp/3.1' });
    expect(JSON.stringify(line)).not.toMatch(/eyJsecret|loopin\.sid/);
    expect(serializers.res({ statusCode: 404, getHeaders: () => ({ 'set-cookie': 'x' }) } as unknown as ServerResponse)).toEqual({ statusCode: 404 });
  });
});
