// Who is signed in, and the read-only data the app needs offline: the user, the facilities of
// the commission, the checklist and the standards. Online sign-in is needed once; the service
// worker keeps a copy of that data for the offline days.
import * as api from './api.js';
import { getMeta, setMeta, transact } from './db.js';
import { deviceReport } from './device.js';
import { afterSignIn, forget } from './keyring.js';
import { backlog } from './outbox.js';

let reference = null;

async function worker(timeout = 8000) {
  if (!('serviceWorker' in navigator)) return null;
  const ready = navigator.serviceWorker.ready;
  const late = new Promise((resolve) => { setTimeout(() => resolve(null), timeout); });
  const registration = await Promise.race([ready, late]);
  return registration?.active || null;
}

/** Send a message to the active service worker and wait for its answer. */
export async function tellWorker(message) {
  const active = await worker();
  if (!active) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    active.postMessage(message, [channel.port2]);
  });
}

/** Have the service worker fetch and keep the reference data with this token. */
export const keepReference = (token, user) => tellWorker({ type: 'keep-data', token, urls: api.referenceUrls(user) });

const VISIT_STORES = ['visits', 'answers', 'notes', 'photos', 'blobs', 'conflicts', 'rejected'];

/** Forget the previous account's visits (only ever called with nothing left to send). */
function forgetVisits() {
  return transact(VISIT_STORES, 'readwrite', async (s) => {
    for (const name of VISIT_STORES) await s[name].clear();
  });
}

/** Sign in online; refuses another user while this tablet holds someone's unsynced work. */
export async function signIn(username, password) {
  const previous = await getMeta('user');
  const waiting = await backlog();
  if (previous && previous.username !== username && waiting.pending + waiting.photos > 0) {
    const error = new Error('other user');
    error.code = 'other_user';
    error.user = previous.username;
    throw error;
  }
  const result = await api.signIn(username, password, await deviceReport());
  const switched = Boolean(previous && previous.id !== result.user.id);
  if (switched) await forgetVisits();
  await setMeta('token', result.token);
  await setMeta('user', result.user);
  await setMeta('token_expires_at', result.expires_at);
  await afterSignIn(password, result.user, { switched }); // the data key, wrapped under the password
  reference = null;
  await keepReference(result.token, result.user);
  return result.user;
}

/** Sign out: the token and the data key go; the outbox and visits stay, sealed. */
export async function signOut() {
  const token = await getMeta('token');
  if (token && navigator.onLine) {
    try { await api.request('/api/v1/auth/logout', { method: 'POST' }); } catch { /* offline */ }
  }
  await setMeta('token', null);
  forget();
  reference = null;
  await tellWorker({ type: 'forget-data' });
}

/** The signed-in user as last seen (works offline), or null. */
export async function currentUser() {
  return (await getMeta('token')) ? getMeta('user') : null;
}

async function optional(promise) {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 401) throw error;
    return null;
  }
}

/** Load (once per run) the facilities, the checklist, the standards and the commission's members; missing parts are null. */
export async function loadReference(force = false) {
  if (reference && !force) return reference;
  const [facilities, form, standards, members] = await Promise.all([
    optional(api.facilities()), optional(api.form(api.FORM_ID)), optional(api.standards()),
    getMeta('user').then((user) => optional(api.members(user))),
  ]);
  reference = {
    facilities: facilities?.items || null,
    form: form?.form || form || null,
    standards: standards?.sets || standards?.items || (Array.isArray(standards) ? standards : null),
    members, // the commission's members, a visit's team is picked from them
  };
  return reference;
}

/** Find a facility by id in the reference data. */
export function facilityById(ref, id) {
  return (ref.facilities || []).find((f) => f.id === id) || null;
}
