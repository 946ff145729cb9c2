// The data key while the app is unlocked, and what of each store is sealed with it
// (docs/security.md, "On the tablet"). The key lives only here, in memory: locking forgets it.
// A sealed field is {enc: 1, iv, data} (AES-GCM over the JSON of the value; over the raw bytes
// for a photo, with its content type). Everything a list needs offline stays plain.
import { openBytes, seal, sealBytes, unseal } from './crypto.js';

export const SENSITIVE_DOMAINS = ['safeguards']; // server/scope.py SENSITIVE_DOMAINS

let key = null;

/** Sealed content was asked for while the app is locked. */
export class LockedError extends Error {
  constructor() {
    super('locked');
    this.code = 'locked';
  }
}

/** Tell whether the data key is in memory. */
export const unlocked = () => key !== null;

/** Keep the data key in memory (after an unlock). */
export function setKey(dataKey) { key = dataKey; }

/** Forget the data key (lock, sign-out, wipe). */
export function forgetKey() { key = null; }

/** The data key; throws LockedError when locked. Read once, before any await. */
export function currentKey() {
  if (!key) throw new LockedError();
  return key;
}

/** Tell whether a stored value is a sealed field. */
export const isSealed = (value) => Boolean(value) && typeof value === 'object' && value.enc === 1
  && 'iv' in value && 'data' in value;

/** Tell whether a question id belongs to a sensitive domain ("safeguards.private_interviews"). */
export const isSensitiveQuestion = (id) => SENSITIVE_DOMAINS.includes(String(id || '').split('.')[0]);

/** Tell whether an op's value is sensitive: notes, photos, answers of a sensitive domain. */
export const opIsSensitive = (op) => op.type === 'note.add' || op.type === 'photo.attach'
  || (String(op.type).startsWith('answer.') && isSensitiveQuestion(op.question_id));

/** Seal a JSON value. */
export async function sealValue(value) {
  const sealed = await seal(currentKey(), value);
  return { enc: 1, iv: sealed.iv, data: sealed.data };
}

/** Open a sealed value; a plain one (written before encryption existed) is returned as is. */
export async function openValue(value) {
  if (!isSealed(value)) return value;
  return unseal(currentKey(), value);
}

/** Seal a photo's bytes: {enc, iv, data, type}. */
export async function sealBlob(blob) {
  const dataKey = currentKey();
  const sealed = await sealBytes(dataKey, new Uint8Array(await blob.arrayBuffer()));
  return { enc: 1, iv: sealed.iv, data: sealed.data, type: blob.type };
}

/** A Blob of a stored photo (sealed or, from before encryption, plain). */
export async function openBlob(stored, type = 'image/jpeg') {
  if (!isSealed(stored)) return stored;
  const bytes = await openBytes(currentKey(), stored);
  return new Blob([bytes], { type: stored.type || type });
}

const conflictSensitive = (record) => isSensitiveQuestion(record.question_id);

const hasValue = (r) => r.value !== null && r.value !== undefined;
const opFields = (r) => (opIsSensitive(r) && hasValue(r) ? ['value'] : []);

/** Which plain fields of a record are sealed, per store. */
const FIELDS = {
  notes: () => ['text'],
  photos: () => ['caption'],
  answers: (r) => (isSensitiveQuestion(r.question_id) && hasValue(r) ? ['value'] : []),
  outbox: opFields,
  rejected: opFields,
};

async function mapItems(items, fn) {
  const out = [];
  for (const item of items || []) {
    out.push({ ...item, loser: await fn(item.loser), winner: await fn(item.winner) });
  }
  return out;
}

const sealIfPlain = async (value) => (value === undefined || isSealed(value) ? value : sealValue(value));

/** Tell whether a record still holds sensitive content in plain (the migration's test). */
export function needsSealing(store, record) {
  if (!record) return false;
  if (store === 'blobs') return record.blob !== undefined && !isSealed(record.blob);
  if (store === 'conflicts') {
    return conflictSensitive(record) && (record.items || []).some((item) => (item.loser !== undefined
      && !isSealed(item.loser)) || (item.winner !== undefined && !isSealed(item.winner)));
  }
  return (FIELDS[store]?.(record) || []).some((f) => record[f] !== undefined && !isSealed(record[f]));
}

/** Return the record with its sensitive fields sealed (throws LockedError when locked). */
export async function sealRecord(store, record) {
  if (!needsSealing(store, record)) return record;
  if (store === 'blobs') return { ...record, blob: await sealBlob(record.blob) };
  if (store === 'conflicts') return { ...record, items: await mapItems(record.items, sealIfPlain) };
  const out = { ...record };
  for (const f of FIELDS[store](record)) out[f] = await sealIfPlain(record[f]);
  return out;
}

/** Return the record with its sealed fields opened; when locked, the record as stored. */
export async function openRecord(store, record) {
  if (!record || !key || !(store in FIELDS || store === 'blobs' || store === 'conflicts')) return record;
  if (store === 'blobs') return { ...record, blob: await openBlob(record.blob, record.type) };
  if (store === 'conflicts') return { ...record, items: await mapItems(record.items, openValue) };
  const out = { ...record };
  for (const [name, value] of Object.entries(record)) if (isSealed(value)) out[name] = await openValue(value);
  return out;
}

/** Open every record of a list (see openRecord). */
export async function openRecords(store, records) {
  if (!Array.isArray(records)) return openRecord(store, records);
  const out = [];
  for (const record of records) out.push(await openRecord(store, record));
  return out;
}

/** Seal what a pulled change carries of sensitive content, before it is stored (pull.js). */
export async function sealChange(change) {
  const data = change.data || {};
  const patch = {};
  if (change.entity === 'note' && data.text !== undefined) patch.text = await sealIfPlain(data.text);
  if (change.entity === 'photo' && data.caption !== undefined) patch.caption = await sealIfPlain(data.caption);
  if (change.entity === 'answer' && isSensitiveQuestion(data.question_id)
    && data.value !== null && data.value !== undefined) patch.value = await sealIfPlain(data.value);
  if (change.entity === 'conflict') {
    const question = /^answer:([^:]+):/.exec(data.field || '')?.[1];
    if (isSensitiveQuestion(question)) {
      if (data.loser !== undefined) patch.loser = await sealIfPlain(data.loser);
      if (data.winner !== undefined) patch.winner = await sealIfPlain(data.winner);
    }
  }
  return Object.keys(patch).length ? { ...change, data: { ...data, ...patch } } : change;
}
