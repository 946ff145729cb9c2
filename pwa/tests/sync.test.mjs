// The sync engine's retry schedule: doubling from 2 s up to 5 min, with jitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../js/sync.js';

test('delays double, stay within [ceiling/2, ceiling] and stop growing at five minutes', () => {
  const ceilings = [2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000];
  ceilings.forEach((ceiling, attempt) => {
    assert.equal(backoffDelay(attempt, () => 0), ceiling / 2);
    assert.equal(backoffDelay(attempt, () => 1), ceiling);
  });
});

test('jitter spreads tablets that lost the link at the same moment', () => {
  const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5)));
  assert.ok(delays.size > 40);
  for (const delay of delays) assert.ok(delay >= 32000 && delay <= 64000);
});
