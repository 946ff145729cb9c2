// The server's JSON API as the app uses it: bearer token from the local store, one error type
// with the server's stable code, a timeout on every request. No IndexedDB transaction is ever
// open while these run (db.js's rule).
import { getMeta } from './db.js';

export const TIMEOUT_MS = 30000;

/** An answer from the server that is not a success, with its stable code. */
export class ApiError extends Error {
  constructor(status, code, message, body = null) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** The link is down or the server did not answer in time. */
export class NetworkError extends Error {}

/** Send one request; JSON in and out unless raw is set. */
export async function request(path, { method = 'GET', json, body, headers = {}, raw = false,
  token, timeout = TIMEOUT_MS } = {}) {
  const bearer = token === undefined ? await getMeta('token') : token;
  const sent = { ...headers };
  if (bearer) sent.Authorization = `Bearer ${bearer}`;
  if (json !== undefined) sent['Content-Type'] = 'application/json';
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  let response;
  try {
    response = await fetch(path, {
      method, headers: sent, body: json !== undefined ? JSON.stringify(json) : body,
      signal: controller.signal, cache: 'no-store',
    });
  } catch (error) {
    throw new NetworkError(error.message || 'network error');
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    let data = null;
    try { data = await response.json(); } catch { /* not JSON */ }
    const error = new ApiError(response.status, data?.code || `http_${response.status}`, data?.message, data);
    error.headers = response.headers;
    throw error;
  }
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

/** Exchange a username and password for a token. */
export const signIn = (username, password, device = {}) => request('/api/v1/auth/token',
  { method: 'POST', json: { username, password, ...device }, token: null });

/** The facilities in the user's scope, each with its last_score ({value, started_at, …} or null). */
export const facilities = () => request(FACILITIES_URL);

/** Where the members of a commission are listed (a visit's team is picked from them). */
export const membersUrl = (commissionId) => `/api/v1/commissions/${commissionId}/members`;

/** The active members of the user's commission: [{id, name, role}]; null without one. */
export const members = (user) => (user?.commission_id ? request(membersUrl(user.commission_id))
  : Promise.resolve(null));

/** The checklist definition, in all three languages. */
export const form = (formId) => request(`/api/v1/forms/${formId}`);

/** Every standard set with its rules and citations. */
export const standards = () => request(STANDARDS_URL);

/** Push a batch of ops. */
export const push = (body) => request('/api/v1/sync/push', { method: 'POST', json: body });

/** Pull one page of changes after a cursor. */
export const pull = (cursor, limit, device, report = '') => request(
  `/api/v1/sync/pull?cursor=${cursor}&limit=${limit}${device ? `&device_id=${encodeURIComponent(device)}` : ''}${report}`);

export const FORM_ID = 'detention-visit';
export const FACILITIES_URL = '/api/v1/facilities?per_page=500';
export const STANDARDS_URL = '/api/v1/standards';

/** The read-only data the app needs offline (the service worker keeps a copy). */
export const REFERENCE_URLS = ['/api/v1/me', FACILITIES_URL, `/api/v1/forms/${FORM_ID}`, STANDARDS_URL];

/** The reference data of one user: the above and their commission's members. */
export const referenceUrls = (user) => (user?.commission_id
  ? [...REFERENCE_URLS, membersUrl(user.commission_id)] : REFERENCE_URLS);
