// Hybrid logical clock: monotonic, ordered by ms, counter, device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, format, parse, receive, tick } from '../js/hlc.js';

test('format and parse round-trip with a dashed device id', () => {
  const stamp = format(1700000000000, 3, 'a1b2-c3d4');
  assert.deepEqual(parse(stamp), { ms: 1700000000000, counter: 3, device: 'a1b2-c3d4' });
});

test('tick follows the wall clock, then counts when it stands still or goes back', () => {
  let { state, stamp } = tick(null, 'd', 1000);
  assert.equal(stamp, '1000-0-d');
  ({ state, stamp } = tick(state, 'd', 1000));
  assert.equal(stamp, '1000-1-d');
  ({ state, stamp } = tick(state, 'd', 900));
  assert.equal(stamp, '1000-2-d');
  ({ state, stamp } = tick(state, 'd', 2000));
  assert.equal(stamp, '2000-0-d');
});

test('compare orders by ms, then counter (numerically), then device', () => {
  assert.ok(compare('999-0-z', '1000-0-a') < 0);
  assert.ok(compare('1000-9-a', '1000-10-a') < 0);
  assert.ok(compare('1000-1-b', '1000-1-a') > 0);
  assert.equal(compare('1000-1-a', '1000-1-a'), 0);
});

test('receive moves past a reading from a clock ahead of ours', () => {
  const state = receive({ ms: 1000, counter: 5 }, '5000-7-other', 2000);
  const { stamp } = tick(state, 'me', 2000);
  assert.ok(compare(stamp, '5000-7-other') > 0);
});

test('receive ignores garbage', () => {
  assert.deepEqual(receive({ ms: 1, counter: 0 }, 'nonsense', 0), { ms: 1, counter: 0 });
});

test('a thousand ticks in one millisecond stay strictly increasing', () => {
  let state = null;
  let last = null;
  for (let i = 0; i < 1000; i += 1) {
    const next = tick(state, 'd', 42);
    if (last) assert.ok(compare(last, next.stamp) < 0);
    ({ state } = next);
    last = next.stamp;
  }
});
