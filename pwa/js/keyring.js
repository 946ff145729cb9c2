// The key hierarchy on the tablet (docs/security.md): one random data key (DEK, AES-GCM-256) per
// device, stored only wrapped — under a key derived from the PIN and under one derived from the
// account password at sign-in (each PBKDF2-SHA-256 with its own random salt) — so a forgotten
// PIN never loses data. Changing the PIN re-wraps the DEK only. Wrong PINs are counted in meta
// (a reload does not reset them) and wait crypto.lockoutDelay; nothing is ever erased for them.
import { getMeta, setMeta, transact } from './db.js';
import {
  FREE_TRIES, ITERATIONS, deriveWrappingKey, lockoutDelay, newDataKey, newSalt, unwrapDataKey,
  wrapDataKey,
} from './crypto.js';
import * as vault from './vault.js';

export const KEYRING = 'keyring'; // meta: {version, user_id, pin: wrap|null, password: wrap|null}
export const FAILURES = 'pin_failures'; // meta: {count, at}
export const SEALED = 'sealed_at_rest'; // meta: 1 once plain records of older builds are sealed
export const MIN_PIN = 6;
const SEALED_STORES = ['notes', 'photos', 'answers', 'conflicts', 'outbox', 'rejected', 'blobs'];
const KEY_OF = {
  notes: (r) => r.id, photos: (r) => r.id, outbox: (r) => r.seq, rejected: (r) => r.op_id,
  blobs: (r) => r.sha256, answers: (r) => [r.visit_id, r.question_id, r.regime],
  conflicts: (r) => [r.visit_id, r.question_id, r.regime],
};
let iterations = ITERATIONS;
let pendingPassword = null; // a new password's wrap, waiting for the PIN unlock to be written
let recovering = false; // unlocked by the password: a new PIN must be chosen

/** Use fewer PBKDF2 rounds (node tests only). */
export function useIterations(count) { iterations = count; }

async function wrapUnder(secret, dataKey, salt = newSalt()) {
  const wrapping = await deriveWrappingKey(secret, salt, iterations);
  return { salt, iterations, ...(await wrapDataKey(wrapping, dataKey)) };
}

async function openWith(secret, wrap) {
  const wrapping = await deriveWrappingKey(secret, wrap.salt, wrap.iterations);
  return unwrapDataKey(wrapping, wrap);
}

/** What the app must show before any visit content: open, locked, password, set-pin or new. */
export async function gate() {
  const ring = await getMeta(KEYRING);
  if (vault.unlocked()) return ring?.pin && !recovering ? 'open' : 'set-pin';
  if (ring?.pin) return 'locked';
  return ring?.password ? 'password' : 'new';
}

/** Tell whether the keyring has a password wrap (the set-PIN screen asks for it when not). */
export const hasPasswordWrap = async () => Boolean((await getMeta(KEYRING))?.password);

/**
 * After an online sign-in: a first or another account gets a new DEK wrapped under the
 * password; the same account re-wraps (unlocked) or unlocks with it (locked). A password
 * changed since the last sign-in cannot open the old wrap: it is written after the PIN unlock.
 */
export async function afterSignIn(password, user, { switched = false } = {}) {
  const ring = await getMeta(KEYRING);
  if (switched || !ring || (ring.user_id && ring.user_id !== user.id)) {
    const dataKey = await newDataKey();
    vault.setKey(dataKey);
    recovering = false;
    await setMeta(KEYRING, { version: 1, user_id: user.id, pin: null,
      password: await wrapUnder(password, dataKey) });
    await setMeta(FAILURES, { count: 0, at: 0 });
    return 'new';
  }
  if (vault.unlocked()) {
    await setMeta(KEYRING, { ...ring, user_id: user.id,
      password: await wrapUnder(password, vault.currentKey()) });
    return 'rewrapped';
  }
  try {
    if (!ring.password) throw new Error('no password wrap');
    vault.setKey(await openWith(password, ring.password));
    await afterUnlock();
    return 'unlocked';
  } catch {
    const salt = newSalt();
    pendingPassword = { salt, wrapping: await deriveWrappingKey(password, salt, iterations) };
    return 'pending';
  }
}

/** Check a new PIN: at least 6 characters, not one repeated digit nor a run like 123456. */
export function pinProblem(pin) {
  if (typeof pin !== 'string' || pin.length < MIN_PIN) return 'lock.pin_short';
  if (/^(\d)\1+$/.test(pin) || '01234567890'.includes(pin) || '09876543210'.includes(pin)) {
    return 'lock.pin_weak';
  }
  return null;
}

/** Set or change the PIN (unlocked, or a device with no keyring yet): re-wraps the DEK only. */
export async function setPin(pin, { password = null } = {}) {
  const problem = pinProblem(pin);
  if (problem) throw Object.assign(new Error(problem), { code: problem });
  let ring = await getMeta(KEYRING);
  if (!vault.unlocked()) {
    if (ring?.pin || ring?.password) throw new vault.LockedError();
    vault.setKey(await newDataKey()); // an install from before encryption: nothing sealed yet
    ring = { version: 1, user_id: (await getMeta('user'))?.id ?? null, pin: null, password: null };
  }
  const dataKey = vault.currentKey();
  const next = { ...ring, pin: await wrapUnder(pin, dataKey) };
  if (password && !next.password) next.password = await wrapUnder(password, dataKey);
  await setMeta(KEYRING, next);
  await setMeta(FAILURES, { count: 0, at: 0 });
  recovering = false;
  await afterUnlock();
}

/** The wrong-PIN state: {count, waitMs} (waitMs: how long until the next try is taken). */
export async function failures(now = Date.now()) {
  const { count = 0, at = 0 } = (await getMeta(FAILURES)) || {};
  return { count, freeLeft: Math.max(0, FREE_TRIES - count),
    waitMs: Math.max(0, lockoutDelay(count) - (now - at)) };
}

async function attempt(secret, wrapName) {
  const before = await failures();
  if (before.waitMs > 0) return { ok: false, ...before, waiting: true };
  const ring = await getMeta(KEYRING);
  try {
    vault.setKey(await openWith(secret, ring[wrapName]));
  } catch {
    const at = Date.now();
    await setMeta(FAILURES, { count: before.count + 1, at });
    return { ok: false, ...(await failures(at)) }; // the full wait, counted from this failure
  }
  await setMeta(FAILURES, { count: 0, at: 0 });
  return { ok: true };
}

/** Unlock with the PIN (no network): {ok} or {ok: false, count, freeLeft, waitMs}. */
export async function unlock(pin) {
  const result = await attempt(pin, 'pin');
  if (result.ok) await afterUnlock();
  return result;
}

/** Check the current PIN before it is changed (wrong ones count and wait like the lock's). */
export const verifyPin = (pin) => attempt(pin, 'pin');

/** "Forgot PIN": unlock with the account password (offline too); a new PIN is asked next. */
export async function unlockWithPassword(password) {
  if (!(await hasPasswordWrap())) return { ok: false, count: 0, freeLeft: 0, waitMs: 0 };
  const result = await attempt(password, 'password');
  if (result.ok) {
    recovering = true;
    await afterUnlock();
  }
  return result;
}

async function afterUnlock() {
  if (pendingPassword) {
    const { salt, wrapping } = pendingPassword;
    pendingPassword = null;
    const ring = await getMeta(KEYRING);
    await setMeta(KEYRING, { ...ring,
      password: { salt, iterations, ...(await wrapDataKey(wrapping, vault.currentKey())) } });
  }
  await sealExisting();
}

/** Forget the key (the data stays sealed on the device). */
export function forget() {
  vault.forgetKey();
  recovering = false;
}

// A blob's bytes never change (its key is their hash); other records must be as they were read.
const same = (name, a, b) => name === 'blobs' || JSON.stringify(a) === JSON.stringify(b);

/**
 * Seal, once, what an older build stored in plain (notes, captions, photos, safeguards answers
 * and conflicts, ops carrying them). Reads in one transaction, seals outside any, and writes each
 * record back only if it is still plain; the meta flag is set when nothing was left behind.
 */
export async function sealExisting() {
  if (await getMeta(SEALED)) return 0;
  let sealed = 0;
  let skipped = 0;
  for (const name of SEALED_STORES) {
    const records = await transact([name], 'readonly', (s) => s[name].getAll());
    const updates = [];
    for (const record of records) {
      if (!vault.needsSealing(name, record)) continue;
      const next = await vault.sealRecord(name, record);
      updates.push([record, name === 'outbox' || name === 'rejected' ? { ...next, format: 3 } : next]);
    }
    if (!updates.length) continue;
    await transact([name], 'readwrite', async (s) => {
      for (const [before, next] of updates) {
        const now = await s[name].get(KEY_OF[name](next));
        if (!vault.needsSealing(name, now) || !same(name, now, before)) {
          skipped += 1;
          continue;
        }
        await s[name].put(next);
        sealed += 1;
      }
    });
  }
  if (!skipped) await setMeta(SEALED, 1);
  return sealed;
}
