// Encryption at rest, the primitives (docs/security.md): a key derived from the inspector's PIN
// or password with PBKDF2-SHA-256 (per-device random salt, ITERATIONS rounds), AES-GCM-256 with
// a fresh 96-bit IV per record. The data key (DEK) is random and stored only wrapped under
// such derived keys (keyring.js); derived keys are non-extractable and live only in memory.

export const ITERATIONS = 310000; // OWASP 2023 guidance for PBKDF2-HMAC-SHA-256
export const SALT_BYTES = 16;
export const FREE_TRIES = 3; // wrong PINs before the backoff starts
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A new random salt (kept in plain storage, one per device). */
export const newSalt = () => crypto.getRandomValues(new Uint8Array(SALT_BYTES));

/** Derive the AES-GCM key from a PIN and the device's salt. */
export async function deriveKey(pin, salt, iterations = ITERATIONS,
  usages = ['encrypt', 'decrypt']) {
  const material = await crypto.subtle.importKey('raw', encoder.encode(pin), 'PBKDF2', false,
    ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material, { name: 'AES-GCM', length: 256 }, false, usages);
}

/** Derive a key that only wraps and unwraps the data key (from a PIN or a password). */
export const deriveWrappingKey = (secret, salt, iterations = ITERATIONS) => deriveKey(secret, salt,
  iterations, ['wrapKey', 'unwrapKey']);

/** A new random data key (AES-GCM-256); extractable only so it can be wrapped again. */
export const newDataKey = () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true,
  ['encrypt', 'decrypt']);

/** Wrap the data key under a wrapping key: { iv, data } (AES-GCM, so a wrong key is detected). */
export async function wrapDataKey(wrapping, dataKey) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.wrapKey('raw', dataKey, wrapping, { name: 'AES-GCM', iv });
  return { iv, data: new Uint8Array(data) };
}

/** Unwrap the data key; throws (OperationError) under a wrong wrapping key. */
export const unwrapDataKey = (wrapping, wrapped) => crypto.subtle.unwrapKey('raw', wrapped.data,
  wrapping, { name: 'AES-GCM', iv: wrapped.iv }, { name: 'AES-GCM', length: 256 }, true,
  ['encrypt', 'decrypt']);

/** Encrypt bytes: { iv, data } (the tag is inside data). */
export async function sealBytes(key, bytes) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes);
  return { iv, data: new Uint8Array(data) };
}

/** Decrypt what sealBytes made; throws (OperationError) under a wrong key or altered data. */
export async function openBytes(key, sealed) {
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, key,
    sealed.data));
}

/** Encrypt any JSON value. */
export const seal = (key, value) => sealBytes(key, encoder.encode(JSON.stringify(value)));

/** Decrypt a JSON value. */
export async function unseal(key, sealed) {
  return JSON.parse(decoder.decode(await openBytes(key, sealed)));
}

/** Milliseconds to wait after so many wrong PINs: none for the first few, then doubling. */
export function lockoutDelay(failures) {
  if (failures < FREE_TRIES) return 0;
  return Math.min(3600000, 30000 * 2 ** (failures - FREE_TRIES));
}
