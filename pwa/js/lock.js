// Auto-lock (docs/security.md): after an idle time (a setting, default 5 min) and when the app
// leaves the screen (visibilitychange → hidden), the data key is forgotten and the lock screen
// replaces whatever was shown. Unlocking needs the PIN only, never the network.
import { getMeta, setMeta } from './db.js';
import { forget } from './keyring.js';
import { unlocked } from './vault.js';

export const IDLE = 'lock_after_ms'; // meta
export const DEFAULT_IDLE_MS = 5 * 60000;
export const IDLE_CHOICES_MIN = [1, 2, 5, 10, 15, 30];
const ACTIVITY = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'];
const PICKER_GRACE_MS = 5 * 60000;

let limit = DEFAULT_IDLE_MS;
let last = Date.now();
let timer = null;
let pickingUntil = 0; // the camera or file picker the app opened is in front: not "leaving"

/** Lock now: unsaved typing is committed first (a blur stores it), then the key is forgotten. */
export function lockNow() {
  if (!unlocked()) return;
  globalThis.document?.activeElement?.blur?.();
  forget();
  clearTimeout(timer);
  timer = null;
  globalThis.dispatchEvent(new CustomEvent('tekseru:locked'));
}

function arm() {
  clearTimeout(timer);
  timer = null;
  if (!unlocked()) return;
  const left = last + limit - Date.now();
  if (left <= 0) {
    lockNow();
    return;
  }
  timer = setTimeout(arm, Math.min(left, 60000)); // re-checked: a sleeping tablet's timers drift
}

/** Count activity: the idle time starts again. */
export function touch() {
  last = Date.now();
}

/** The idle time before locking, in ms (stored per device). */
export async function idleLimit() {
  return (await getMeta(IDLE)) || DEFAULT_IDLE_MS;
}

/** Change the idle time (the sync screen's setting; tests use a short one). */
export async function setIdleLimit(ms) {
  limit = ms;
  await setMeta(IDLE, ms);
  touch();
  arm();
}

/** Make sure the idle clock runs while unlocked (after a sign-in that unlocked), without
 * counting it as activity. */
export function keepArmed() {
  if (unlocked() && timer === null) arm();
}

/** Start the idle clock after an unlock. */
export function restart() {
  touch();
  arm();
}

function onVisibility() {
  if (document.visibilityState === 'hidden') {
    if (Date.now() < pickingUntil) return; // taking a photo: the camera app is in front
    lockNow();
  } else {
    pickingUntil = 0;
    arm(); // the idle time may have passed while the tablet slept
  }
}

function onClick(event) {
  const target = event.target;
  const input = target?.closest?.('label')?.control || target;
  if (input?.type === 'file') pickingUntil = Date.now() + PICKER_GRACE_MS;
}

/** Watch activity and visibility; call once at start. */
export async function startAutoLock() {
  limit = await idleLimit();
  for (const name of ACTIVITY) globalThis.addEventListener(name, touch, { capture: true, passive: true });
  document.addEventListener('click', onClick, { capture: true });
  document.addEventListener('visibilitychange', onVisibility);
  globalThis.addEventListener('pagehide', () => lockNow());
  restart();
}
