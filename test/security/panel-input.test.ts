import { describe, expect, it } from 'vitest';
import { superuserAgent } from '../admin/support.js';

/** Panel input that used to answer 500: a GET on a POST-only action, bad escapes, unknown records. */
describe('the panel answers bad input with 4xx problem+json', () => {
  it('GET on the POST-only new action is 400; a bad escape is 400; an unknown record is no 5xx', async () => {
    const agent = await superuserAgent();
    const get = await agent.get('/admin/api/resources/venue/actions/new');
    expect(get.status).toBe(400);
    expect(get.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(get.body.detail).toMatch(/POST only/);
    const escape = await agent.get('/admin/api/resources/venue/records/%E0%A4%A/show');
    expect(escape.status).toBe(400);
    expect(escape.headers['content-type']).toMatch(/^application\/problem\+json/);
    // AdminJS answers an unknown record in its own JSON (a notice for the page): not a crash.
    const unknown = await agent.get('/admin/api/resources/venue/records/999999999/show');
    expect(unknown.status).toBeLessThan(500);
    expect(JSON.stringify(get.body) + JSON.stringify(unknown.body)).not.toMatch(/\n\s+at |node_modules/);
  }, 120_000);
});
