// The sync engine: push the outbox when there is a link (on `online`, at app start, shortly
// after edits, and periodically with exponential backoff and jitter), upload waiting photos,
// then pull. A 401 stops it until the inspector signs in again; the outbox stays untouched.
// It runs only while the app is unlocked: sensitive ops are sealed under a key that exists
// only in memory, and the server needs their plain values (inside TLS); a locked tablet
// queues, and the unlock starts a run (docs/security.md).
import * as api from './api.js';
import { getMeta, setMeta } from './db.js';
import * as outbox from './outbox.js';
import { markMissing, uploadWaiting } from './photos.js';
import { applyChanges } from './pull.js';
import { APP_VERSION, nothingLeft, wipeLocal } from './device.js';
import { tellWorker } from './session.js';
import { LockedError, forgetKey, unlocked } from './vault.js';

export const SCHEMA_VERSION = 2; // server/sync/versions.py CURRENT; it also takes 1
export const BATCH = 200;
export const PULL_LIMIT = 500;
const DEBOUNCE_MS = 1500;
const PERIOD_MS = 60000;
const BASE_MS = 2000;
const CAP_MS = 5 * 60000;

/** Delay before retry number attempt: doubling from 2 s to 5 min, with "equal jitter". */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const status = { phase: 'idle', lastSync: null, retryAt: null, error: null,
  pending: 0, photos: 0, rejected: 0, skew: 0 };
export const SKEW_LIMIT_MS = 10 * 60000; // the server flags edits this far ahead (docs/sync.md)
const listeners = new Set();
let timer = null;
let running = null;
let again = false;
let attempt = 0;
let batch = BATCH;
let revocation = null; // the answer to a revoked device's push (revoked, wipe)
export let signInNeeded = false;

function emit(patch) {
  Object.assign(status, patch);
  for (const listener of listeners) listener({ ...status });
}

/** Follow the status; returns a function that stops following. */
export function subscribe(listener) {
  listeners.add(listener);
  listener({ ...status });
  return () => listeners.delete(listener);
}

/** Refresh the counts of what waits (after edits too). */
export async function refreshCounts() {
  emit({ ...(await outbox.backlog()), lastSync: await getMeta('last_sync') });
}

function schedule(delay) {
  clearTimeout(timer);
  timer = setTimeout(() => { run(); }, delay);
}

/** Sync shortly: called after each edit, so a burst of edits makes one push. */
export function afterEdit() {
  refreshCounts();
  if (!signInNeeded) schedule(DEBOUNCE_MS);
}

/** Sync now (one run at a time; a call during a run queues one more). */
export function run() {
  if (running) {
    again = true;
    return running;
  }
  // One tab at a time syncs (Web Locks): two tabs would only send the same batch twice.
  const locked = globalThis.navigator?.locks
    ? navigator.locks.request('tekseru-sync', () => cycle()) : cycle();
  running = locked.finally(() => {
    running = null;
    if (again) {
      again = false;
      schedule(0);
    }
  });
  return running;
}

async function pushOnce(ops) {
  const device = await getMeta('device_id');
  const body = {
    device_id: device, seq_from: ops[0]?.seq ?? null,
    hlc: ops.length ? ops[ops.length - 1].hlc : `${Date.now()}-0-${device}`,
    schema_version: SCHEMA_VERSION, ops: await outbox.wireOps(ops),
    app_version: APP_VERSION, pending: ops.length ? (await outbox.backlog()).pending : 0,
  };
  const response = await api.push(body);
  await outbox.settle(ops, response.results || []);
  if (response.missing_blobs?.length) await markMissing(response.missing_blobs);
  if (response.revoked) revocation = response;
  return response;
}

/** A revoked tablet (docs/security.md): erase once all went up and the server said wipe. */
async function endRevoked() {
  let refused = false;
  if (!revocation?.wipe) {
    try {
      revocation = await pushOnce([]);
    } catch (error) {
      if (!(error instanceof api.ApiError && error.status === 401)) throw error;
      refused = true; // finished earlier (that answer was lost): the server takes nothing more
    }
  }
  const empty = await nothingLeft();
  if (empty && (revocation?.wipe || refused)) {
    await wipeLocal();
    forgetKey();
    await tellWorker({ type: 'forget-data' });
    emit({ phase: 'wiped', pending: 0, photos: 0, rejected: 0 });
    globalThis.dispatchEvent(new CustomEvent('tekseru:wiped'));
    return null;
  }
  if (refused) {
    signInNeeded = true; // work the server will no longer take stays here (export it)
    emit({ phase: 'auth', error: 'device_revoked' });
  } else {
    schedule(BASE_MS); // photos still missing: upload them, then push again
  }
  return refreshCounts();
}

/**
 * Locked, with nothing waiting to be sent: an empty push (it needs no key) still asks the
 * server whether this device was revoked, so a seized tablet that stays locked is wiped at its
 * next contact. Work still waiting is never wiped unsent: that needs an unlock.
 */
async function lockedCheck() {
  try {
    const response = await pushOnce([]);
    if (response.revoked) return endRevoked();
  } catch (error) {
    if (error instanceof api.ApiError && error.code === 'device_revoked') {
      revocation = { wipe: false };
      return endRevoked().catch(() => schedule(PERIOD_MS));
    }
  }
  schedule(PERIOD_MS);
  return refreshCounts();
}

/** Push the whole outbox in batches; a batch the server cannot take is split down to one op. */
async function pushAll() {
  let renumbered = false;
  for (;;) {
    const ops = await outbox.pendingOps(batch);
    if (!ops.length) return;
    try {
      await pushOnce(ops);
      batch = Math.min(BATCH, batch * 2);
    } catch (error) {
      if (!(error instanceof api.ApiError)) throw error;
      if (error.status === 409 && error.code === 'client_state_mismatch' && !renumbered) {
        renumbered = true;
        await outbox.renumber();
      } else if ((error.status === 413 || error.status === 400 || error.status === 422) && ops.length > 1) {
        batch = Math.max(1, Math.floor(ops.length / 2));
      } else if (error.status === 400 || error.status === 422) {
        await outbox.settle(ops, [{ op_id: ops[0].op_id, status: 'rejected', reason: error.code }]);
      } else {
        throw error;
      }
    }
  }
}

async function pullAll() {
  const device = await getMeta('device_id');
  const key = `cursor:${(await getMeta('user'))?.id}`; // the cursor is kept per account
  let cursor = (await getMeta(key)) || 0;
  let foreign = 0;
  const report = `&app_version=${APP_VERSION}&pending=${(await outbox.backlog()).pending}`;
  for (let page = 0; page < 1000; page += 1) {
    let result;
    try {
      result = await api.pull(cursor, PULL_LIMIT, device, report);
    } catch (error) {
      if (!(error instanceof api.ApiError && error.code === 'cursor_ahead') || cursor === 0) throw error;
      cursor = 0; // the server's log is behind ours (a restored database): read it again
      continue;
    }
    await applyChanges(result.changes || [], key, result.next_cursor ?? cursor);
    foreign += (result.changes || []).filter((change) => !change.own).length;
    if (result.server_time) emit({ skew: Date.now() - Date.parse(result.server_time) });
    cursor = result.next_cursor ?? cursor;
    if (!result.more) break;
  }
  if (foreign) globalThis.dispatchEvent(new CustomEvent('tekseru:pulled', { detail: foreign }));
}

async function cycle() {
  clearTimeout(timer);
  if (signInNeeded) return refreshCounts();
  if (!(await getMeta('token'))) return refreshCounts();
  if (!unlocked()) {
    emit({ phase: 'locked' });
    if (await nothingLeft()) return lockedCheck();
    return refreshCounts();
  }
  emit({ phase: 'syncing', error: null, retryAt: null });
  try {
    await pushAll();
    await uploadWaiting(() => refreshCounts());
    if (revocation) return endRevoked();
    await pullAll();
    attempt = 0;
    await setMeta('last_sync', new Date().toISOString());
    emit({ phase: 'synced' });
    schedule(PERIOD_MS);
  } catch (error) {
    if (error instanceof LockedError) { // locked mid-run: the unlock starts the next one
      emit({ phase: 'locked' });
      return refreshCounts();
    }
    if (error instanceof api.ApiError && error.code === 'device_revoked' && !revocation) {
      revocation = { wipe: false };
      return endRevoked().catch(() => schedule(PERIOD_MS));
    }
    if (error instanceof api.ApiError && error.status === 401) {
      signInNeeded = true;
      emit({ phase: 'auth', error: error.code });
    } else {
      const delay = backoffDelay(attempt);
      attempt += 1;
      const offline = error instanceof api.NetworkError && !navigator.onLine;
      emit({ phase: offline ? 'offline' : 'error', error: error.code || error.message,
        retryAt: Date.now() + delay });
      schedule(delay);
    }
  }
  return refreshCounts();
}

/** After a new sign-in: lift the stop and sync at once. */
export function resume() {
  signInNeeded = false;
  attempt = 0;
  return run();
}

/** Start syncing: now, whenever the link returns, and when the app comes back to the front. */
export function start() {
  globalThis.addEventListener('online', () => { attempt = 0; run(); });
  globalThis.addEventListener('offline', () => emit({ phase: 'offline' }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') run();
  });
  emit({ phase: navigator.onLine ? 'idle' : 'offline' });
  return run();
}
