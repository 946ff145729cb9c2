// The only module that touches IndexedDB. Everything else calls transact() or the helpers
// below. Rule: never await the network inside transact(): an IndexedDB transaction commits as
// soon as it has no request pending, so fetch inside it would end it early; nor WebCrypto:
// sensitive fields are sealed before a transaction and opened after it (vault.js).
import { openRecords, sealRecord } from './vault.js';

export const DB_NAME = 'tekseru';
export const DB_VERSION = 2;
export const OUTBOX_FORMAT = 3; // 3: a sensitive op's value may be sealed (vault.js)

/** Create or migrate the schema; each step runs once, in order (docs/pwa.md). */
export function upgrade(db, oldVersion, tx) {
  if (oldVersion < 1) {
    db.createObjectStore('meta');
    db.createObjectStore('visits', { keyPath: 'id' });
    const answers = db.createObjectStore('answers', { keyPath: ['visit_id', 'question_id', 'regime'] });
    answers.createIndex('visit_id', 'visit_id');
    db.createObjectStore('notes', { keyPath: 'id' }).createIndex('visit_id', 'visit_id');
    const photos = db.createObjectStore('photos', { keyPath: 'id' });
    photos.createIndex('visit_id', 'visit_id');
    db.createObjectStore('blobs', { keyPath: 'sha256' }).createIndex('state', 'state');
    db.createObjectStore('outbox', { keyPath: 'seq' });
  }
  if (oldVersion < 2) {
    // v2: rejected ops leave the outbox for a store of their own; conflicts are kept per field;
    // ops carry their format number so a later version can migrate them again.
    db.createObjectStore('rejected', { keyPath: 'op_id' });
    const conflicts = db.createObjectStore('conflicts', { keyPath: ['visit_id', 'question_id', 'regime'] });
    conflicts.createIndex('visit_id', 'visit_id');
    const outbox = tx.objectStore('outbox');
    outbox.createIndex('visit_id', 'visit_id');
    outbox.openCursor().onsuccess = (event) => {
      const cursor = event.target.result;
      if (!cursor) return;
      const { status, reason, ...op } = cursor.value;
      if (status === 'rejected') {
        tx.objectStore('rejected').put({ ...op, format: 2, reason: reason || 'unknown' });
        cursor.delete();
      } else {
        cursor.update({ ...op, format: 2 });
      }
      cursor.continue();
    };
  }
}

const promised = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

let factory = globalThis.indexedDB;
let opening = null;

/** Use another IndexedDB implementation (node tests) and forget the open connection. */
export function useFactory(next) {
  factory = next;
  opening = null;
}

/** Open (and upgrade) the database once per page. */
export function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = factory.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion, request.transaction);
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
      request.onblocked = () => console.warn('tekseru: database upgrade waits for another tab');
    });
  }
  return opening;
}

function wrap(store) {
  return {
    get: (key) => promised(store.get(key)),
    put: (value, key) => promised(key === undefined ? store.put(value) : store.put(value, key)),
    delete: (key) => promised(store.delete(key)),
    getAll: (query, count) => promised(store.getAll(query, count)),
    byIndex: (index, key) => promised(store.index(index).getAll(key)),
    countBy: (index, key) => promised(store.index(index).count(key)),
    count: (query) => promised(store.count(query)),
    clear: () => promised(store.clear()),
  };
}

/** Run fn(stores) in one transaction; resolves with fn's result once it has committed. */
export async function transact(names, mode, fn) {
  const db = await open();
  const tx = db.transaction(names, mode);
  const stores = Object.fromEntries(names.map((name) => [name, wrap(tx.objectStore(name))]));
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
  let result;
  try {
    result = await fn(stores);
  } catch (error) {
    done.catch(() => {});
    try { tx.abort(); } catch { /* already finished */ }
    throw error;
  }
  await done;
  return result;
}

/** Read one record, its sealed fields opened when unlocked. */
export const get = async (store, key) => openRecords(store,
  await transact([store], 'readonly', (s) => s[store].get(key)));
/** Read every record of a store, or those an index maps to a key (opened when unlocked). */
export const all = async (store, index, key) => openRecords(store, await transact([store], 'readonly',
  (s) => (index ? s[store].byIndex(index, key) : s[store].getAll())));
/** Write one record, its sensitive fields sealed first (LockedError when locked). */
export async function put(store, value, key) {
  const sealed = await sealRecord(store, value);
  return transact([store], 'readwrite', (s) => s[store].put(sealed, key));
}
/** Count the records of a store. */
export const count = (store) => transact([store], 'readonly', (s) => s[store].count());
/** Read a value of the meta store. */
export const getMeta = (key) => get('meta', key);
/** Write a value of the meta store. */
export const setMeta = (key, value) => put('meta', value, key);

/** Ask the browser to keep our data under storage pressure: granted, refused or unsupported. */
export async function persistStorage(storage = globalThis.navigator?.storage) {
  if (!storage?.persist) return 'unsupported';
  try {
    if (await storage.persisted()) return 'granted';
    return (await storage.persist()) ? 'granted' : 'refused';
  } catch {
    return 'refused';
  }
}
