import fc from 'fast-check';
import { timeOrderedId } from '../src/ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

it('is a UUID of version 7 whose first 48 bits are the time', () => {
  const at = Date.UTC(2026, 10, 30, 12, 0, 0);
  const id = timeOrderedId(at + 1_000_000);
  expect(id).toMatch(UUID_V7);
  expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at + 1_000_000);
});

it('sorts in the order made, unique, whatever the clock does: the same millisecond, thousands at once, or going back', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 5000 }), (steps, burst) => {
    let now = Date.now() + 10_000_000;
    const ids: string[] = [];
    for (const step of steps) {
      now += step;
      ids.push(timeOrderedId(now));
    }
    for (let i = 0; i < burst; i += 1) ids.push(timeOrderedId(now));
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  }), { numRuns: 50 });
});
