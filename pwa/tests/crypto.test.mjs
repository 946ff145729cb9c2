import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  ITERATIONS, deriveKey, lockoutDelay, newSalt, openBytes, seal, sealBytes, unseal,
} from '../js/crypto.js';

const FAST = 1000; // the real count (ITERATIONS) is checked once below

test('a value sealed under a PIN opens with it and holds no plain text', async () => {
  const salt = newSalt();
  const key = await deriveKey('482913', salt, FAST);
  const sealed = await seal(key, { text: 'Prisoner Ivanov was beaten' });
  assert.ok(!Buffer.from(sealed.data).toString('latin1').includes('Ivanov'));
  assert.deepEqual(await unseal(key, sealed), { text: 'Prisoner Ivanov was beaten' });
  const again = await deriveKey('482913', salt, FAST);
  assert.deepEqual(await unseal(again, sealed), { text: 'Prisoner Ivanov was beaten' });
});

test('a wrong PIN or another salt does not open it', async () => {
  const salt = newSalt();
  const sealed = await seal(await deriveKey('482913', salt, FAST), 'secret');
  await assert.rejects(unseal(await deriveKey('000000', salt, FAST), sealed));
  await assert.rejects(unseal(await deriveKey('482913', newSalt(), FAST), sealed));
});

test('photo bytes round-trip and each seal takes a fresh IV', async () => {
  const key = await deriveKey('1234', newSalt(), FAST);
  const bytes = new Uint8Array([255, 216, 255, 224, 1, 2, 3]);
  const a = await sealBytes(key, bytes);
  const b = await sealBytes(key, bytes);
  assert.notDeepEqual(a.iv, b.iv);
  assert.deepEqual(await openBytes(key, a), bytes);
});

test('the documented iteration count derives a working key', async () => {
  assert.equal(ITERATIONS, 310000);
  const key = await deriveKey('1234', newSalt());
  assert.equal(await unseal(key, await seal(key, 7)), 7);
});

test('wrong PINs: three free tries, then a doubling wait capped at an hour', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(lockoutDelay), [0, 0, 0, 30000, 60000, 120000]);
  assert.equal(lockoutDelay(40), 3600000);
});
