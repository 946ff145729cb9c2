// This tablet as the server's device registry sees it (docs/security.md): its id, the app
// version and how many operations wait, sent at sign-in and with every push and pull. And the
// end of a revoked device: everything goes up first, then the local data is erased.
import { transact } from './db.js';
import { backlog, deviceId } from './outbox.js';

export const APP_VERSION = 'pwa-2';
const STORES = ['meta', 'visits', 'answers', 'notes', 'photos', 'blobs', 'outbox', 'rejected',
  'conflicts'];

/** What the tablet reports about itself: { device_id, app_version, pending }. */
export async function deviceReport() {
  const device = await transact(['meta'], 'readwrite', (s) => deviceId(s.meta));
  const { pending } = await backlog();
  return { device_id: device, app_version: APP_VERSION, pending };
}

/** Tell whether nothing waits to be sent (no operation, no photo). */
export async function nothingLeft() {
  const left = await backlog();
  return left.pending + left.photos === 0;
}

/** Erase every local store and the cached reference data (the app shell stays). */
export async function wipeLocal(cacheStorage = globalThis.caches) {
  await transact(STORES, 'readwrite', async (s) => {
    for (const name of STORES) await s[name].clear();
  });
  if (!cacheStorage) return;
  for (const name of await cacheStorage.keys()) {
    if (name.startsWith('tekseru-data')) await cacheStorage.delete(name);
  }
}
