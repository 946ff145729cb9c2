// Tekseru service worker: serves the app shell and the user's reference data with no network.
// The server fills in BUILD (a hash of every shell file) and SHELL (their URLs), so any change
// to the app is a new worker with a new cache name; activate deletes the old shell caches.
// The outbox lives in IndexedDB, which no worker update touches.
const BUILD = '__BUILD__';
const SHELL = ["__SHELL__"];
const SHELL_CACHE = `tekseru-shell-${BUILD}`;
const DATA_CACHE = 'tekseru-data-v1';
const DATA_PREFIXES = ['/api/v1/me', '/api/v1/facilities', '/api/v1/forms/', '/api/v1/standards',
  '/api/v1/commissions/'];
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then(
    (cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' }))),
  ));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('tekseru-shell-') && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

const isData = (url) => DATA_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));

async function fromShell(request) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  return hit || fetch(request);
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => {
    setTimeout(() => reject(new Error('network too slow')), ms);
  })]);
}

/** Network first for reference data (fresh when there is a link), the copy otherwise. */
async function fromData(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await withTimeout(fetch(request), NETWORK_WAIT_MS);
    if (response.ok) await cache.put(request.url, response.clone());
    if (response.status !== 401 || !(await cache.match(request.url))) return response;
  } catch {
    // offline or too slow: the copy below
  }
  const hit = await cache.match(request.url, { ignoreVary: true });
  return hit || new Response(JSON.stringify({ code: 'offline', message: 'No copy on this tablet.' }),
    { status: 503, headers: { 'Content-Type': 'application/json' } });
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (SHELL.includes(url.pathname)) {
    // Only "/" is the app; the chairs' server pages under the same scope go to the network.
    event.respondWith(fromShell(request));
  } else if (isData(url)) {
    event.respondWith(fromData(request));
  }
});

/** Fetch the user's reference data with their token and keep it (after sign-in). */
async function keepData(token, urls) {
  const cache = await caches.open(DATA_CACHE);
  const headers = { Authorization: `Bearer ${token}` };
  const results = await Promise.all(urls.map(async (url) => {
    const response = await fetch(url, { headers, cache: 'no-store' });
    if (response.ok) await cache.put(url, response);
    return [url, response.status];
  }));
  return Object.fromEntries(results);
}

self.addEventListener('message', (event) => {
  const { type, token, urls } = event.data || {};
  const reply = (data) => event.ports[0]?.postMessage(data);
  if (type === 'keep-data') {
    event.waitUntil(keepData(token, urls).then((status) => reply({ ok: true, status }),
      (error) => reply({ ok: false, error: String(error) })));
  } else if (type === 'forget-data') {
    event.waitUntil(caches.delete(DATA_CACHE).then(() => reply({ ok: true })));
  } else if (type === 'skip-waiting') {
    self.skipWaiting();
  }
});
