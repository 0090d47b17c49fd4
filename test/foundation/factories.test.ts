import { describe, expect, it } from 'vitest';
import * as core from '../support/factories.js';
import * as more from '../support/more-factories.js';

/** Every factory builds a row the database accepts (constraints included) with no arguments. */
describe('factories', () => {
  const all = { ...core, ...more } as Record<string, unknown>;
  const builders = Object.entries(all).filter(([name, fn]) => name.startsWith('build') && typeof fn === 'function');

  it('cover every table', () => {
    expect(builders.length).toBeGreaterThanOrEqual(20);
  });

  it.each(builders)('%s builds a valid row', async (_name, fn) => {
    const built = await (fn as () => Promise<unknown>)();
    expect(built).toBeTruthy();
  });
});
