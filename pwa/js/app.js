// Start the app: language, local store, service worker (a waiting update takes over now, at
// start, before any edit), the sync engine, the header and the hash router. While locked, every
// route shows the lock screen (no visit content), then the screen the hash names.
import { open, persistStorage, setMeta } from './db.js';
import { LANGUAGES, language, preferredLanguage, setLanguage, t } from './i18n.js';
import { gate } from './keyring.js';
import { keepArmed, lockNow, restart, startAutoLock } from './lock.js';
import { currentUser, signOut } from './session.js';
import * as sync from './sync.js';
import { focusHeading, h, render } from './ui.js';
import { releasePhotos } from './views/attachments.js';
import { checklistView } from './views/checklist.js';
import { facilitiesView } from './views/facilities.js';
import { lockView, passwordView, pinSetupView } from './views/lock.js';
import { loginView } from './views/login.js';
import { startView } from './views/start.js';
import { statusView } from './views/status.js';

const ROUTES = [
  [/^#\/login$/, loginView],
  [/^#\/start\/([^/]+)$/, startView],
  [/^#\/visit\/([^/]+)(?:\/([^/]+))?$/, checklistView],
  [/^#\/status$/, statusView],
  [/^#\/pin$/, pinSetupView],
  [/.*/, facilitiesView],
];
const main = document.getElementById('main');
const header = document.getElementById('header');
let leave = null;
let lastStatus = {};

function badge(status) {
  const waiting = (status.pending || 0) + (status.photos || 0);
  const state = sync.signInNeeded ? 'auth' : navigator.onLine ? status.phase : 'offline';
  const label = state === 'auth' ? t('sync.auth') : navigator.onLine ? t('sync.online') : t('sync.offline');
  return h('a', { href: state === 'auth' ? '#/login' : '#/status', class: `badge sync ${state}`, id: 'sync-badge', dataset: { pending: waiting } },
    label, waiting ? ` · ${waiting}` : '');
}

const GATES = { locked: lockView, password: passwordView, 'set-pin': pinSetupView, new: pinSetupView };

async function renderHeader(open = true) {
  const user = open ? await currentUser() : null;
  const select = h('select', { id: 'lang', 'aria-label': t('nav.language') },
    LANGUAGES.map((l) => h('option', { value: l, selected: l === language(), lang: l }, t(`lang.${l}`))));
  select.addEventListener('change', () => setLanguage(select.value));
  const out = h('button', { type: 'button', class: 'link' }, t('nav.sign_out'));
  out.addEventListener('click', async () => { await signOut(); location.hash = '#/login'; });
  const lock = h('button', { type: 'button', class: 'link', id: 'lock-now' }, t('lock.now'));
  lock.addEventListener('click', () => lockNow());
  render(header, h('a', { href: '#/', class: 'brand' }, t('app.name')),
    h('nav', { 'aria-label': t('nav.main') }, user ? [
      h('a', { href: '#/' }, t('nav.facilities')), badge(lastStatus), out, lock] : null),
    select);
}

let routing = 0;

/** Render the screen the hash names; a slower, older render never replaces a newer one. */
async function route() {
  const generation = (routing += 1);
  const user = await currentUser();
  if (!user && location.hash !== '#/login') {
    location.hash = '#/login';
    return;
  }
  const shut = user && location.hash !== '#/login' ? GATES[await gate()] : null;
  const [pattern, found] = ROUTES.find(([re]) => re.test(location.hash));
  const view = shut || found;
  const params = shut ? [] : pattern.exec(location.hash).slice(1).map((p) => (p ? decodeURIComponent(p) : p));
  const screen = document.createElement('div');
  if (!shut) keepArmed(); // e.g. a sign-in that unlocked with the password
  const [result] = await Promise.all([view(screen, ...params), renderHeader(!shut)]);
  if (generation !== routing) {
    if (typeof result === 'function') result();
    return;
  }
  if (leave) leave();
  leave = typeof result === 'function' ? result : null;
  main.replaceChildren(screen);
  main.dataset.view = view.name;
  focusHeading(main);
}

/** Show what others sent on the lists; the checklist updates its own fields in place. */
function showPulled() {
  if (Object.values(GATES).some((view) => view.name === main.dataset.view)) return; // a PIN being typed
  if (/^#\/(status)?$|^$/.test(location.hash)) route(); // the hash, not the screen: it may be on its way
}

function updateBanner(registration) {
  const restart = h('button', { type: 'button', class: 'primary' }, t('app.update_now'));
  restart.addEventListener('click', () => registration.waiting?.postMessage({ type: 'skip-waiting' }));
  document.getElementById('banner').replaceChildren(
    h('p', { class: 'notice', role: 'status' }, t('app.update_ready'), ' ', restart));
}

function signInBanner() {
  document.getElementById('banner').replaceChildren(h('p', { class: 'notice', role: 'alert' },
    t('login.again'), ' ', h('a', { href: '#/login', class: 'button primary' }, t('login.submit'))));
}

/** Register the worker; a waiting new version takes over now, at start, and reloads the page. */
async function startWorker() {
  if (!('serviceWorker' in navigator)) return;
  let firstClaim = !navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (firstClaim) {
      firstClaim = false; // the first worker took the page over: nothing old to replace
      return;
    }
    location.reload(); // a new version took over: run its code
  });
  const known = await navigator.serviceWorker.getRegistration(); // local: no network wait
  if (known?.waiting && navigator.serviceWorker.controller) {
    known.waiting.postMessage({ type: 'skip-waiting' }); // a new start: take the update now
    await new Promise((resolve) => { setTimeout(resolve, 3000); }); // controllerchange reloads first
  }
  navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).then((registration) => {
    registration.addEventListener('updatefound', () => {
      const next = registration.installing;
      next?.addEventListener('statechange', () => {
        if (next.state === 'installed' && navigator.serviceWorker.controller) updateBanner(registration);
      });
    });
  }).catch(() => {}); // no worker (insecure origin): the app still runs while online
}

async function boot() {
  await setLanguage(preferredLanguage());
  await open();
  await startWorker();
  persistStorage().then((answer) => setMeta('storage', answer));
  sync.subscribe((status) => {
    lastStatus = status;
    if (status.phase === 'auth') signInBanner();
    const old = document.getElementById('sync-badge');
    if (old) old.replaceWith(badge(status));
  });
  globalThis.addEventListener('hashchange', route);
  globalThis.addEventListener('tekseru:language', route);
  globalThis.addEventListener('tekseru:pulled', showPulled);
  globalThis.addEventListener('tekseru:wiped', () => globalThis.location.reload()); // revoked
  globalThis.addEventListener('tekseru:locked', () => { releasePhotos(); route(); });
  globalThis.addEventListener('tekseru:unlocked', () => {
    restart();
    if (location.hash === '#/pin') location.hash = '#/status'; // a changed PIN
    else route();
    sync.run();
  });
  await startAutoLock();
  await route();
  document.body.dataset.ready = 'yes';
  document.body.dataset.readyMs = String(Math.round(performance.now())); // benchmarks
  sync.start();
}

boot().catch((error) => {
  main.textContent = `${t('app.name')}: ${error.message}`;
  throw error;
});
