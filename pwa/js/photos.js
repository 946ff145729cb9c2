// Photos: shrink on the tablet (longest side ~1600 px), re-encode as JPEG (which drops EXIF
// and GPS), hash with SHA-256, keep in IndexedDB, and upload resumably: HEAD tells what the
// server has, PUT sends the rest in chunks with Content-Range. A photo the server has is never
// sent again.
import { ApiError, request } from './api.js';
import { transact } from './db.js';
import { openBlob } from './vault.js';

export const MAX_SIDE = 1600;
export const QUALITY = 0.85;
export const CHUNK = 256 * 1024;

/** Hex SHA-256 of bytes. */
export async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Size of an image scaled so its longest side is at most max. */
export function fitWithin(width, height, max = MAX_SIDE) {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Decode, shrink and re-encode a picked file; returns {blob, sha256, width, height}. */
export async function preparePhoto(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const { width, height } = fitWithin(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
  bitmap.close?.();
  const blob = await new Promise((resolve, reject) => canvas.toBlob(
    (b) => (b ? resolve(b) : reject(new Error('encode failed'))), 'image/jpeg', QUALITY));
  return { blob, sha256: await sha256Hex(await blob.arrayBuffer()), width, height };
}

const blobUrl = (sha) => `/api/v1/blobs/${sha}`;

/** Ask the server how much of a blob it holds: 200 all of it, 204 a part, 404 none. */
export async function probe(sha) {
  let response;
  try {
    response = await request(blobUrl(sha), { method: 'HEAD', raw: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { offset: 0 };
    throw error;
  }
  if (response.status === 200) return { done: true };
  return { offset: Number(response.headers.get('Upload-Offset') || 0) };
}

const setBlob = (sha, patch) => transact(['blobs'], 'readwrite', async (s) => {
  const record = await s.blobs.get(sha);
  if (record) await s.blobs.put({ ...record, ...patch });
});

async function putChunk(sha, blob, offset) {
  const end = Math.min(offset + CHUNK, blob.size);
  try {
    const response = await request(blobUrl(sha), {
      method: 'PUT', body: blob.slice(offset, end), raw: true,
      headers: { 'Content-Type': blob.type || 'image/jpeg',
        'Content-Range': `bytes ${offset}-${end - 1}/${blob.size}` },
    });
    const told = response.headers.get('Upload-Offset');
    return told !== null ? Number(told) : end;
  } catch (error) {
    // offset_mismatch: the server holds a different amount (an earlier chunk did land)
    const told = error instanceof ApiError && error.status === 409 && error.headers?.get('Upload-Offset');
    if (told) return Number(told);
    throw error;
  }
}

/** Upload one blob from where the server stopped; chunks are recorded as they land. */
export async function upload(record, onProgress = () => {}) {
  const sha = record.sha256;
  const blob = await openBlob(record.blob, record.type); // sealed at rest: opened to send
  const state = await probe(sha);
  let offset = state.done ? blob.size : state.offset;
  while (offset < blob.size) {
    offset = await putChunk(sha, blob, offset);
    await setBlob(sha, { offset });
    onProgress(sha, offset, blob.size);
  }
  return setBlob(sha, { state: 'uploaded', offset: blob.size });
}

/** Upload every photo still waiting, one after another. */
export async function uploadWaiting(onProgress) {
  const waiting = await transact(['blobs'], 'readonly', (s) => s.blobs.byIndex('state', 'waiting'));
  for (const record of waiting) await upload(record, onProgress);
  return waiting.length;
}

/** Mark blobs the server says it lacks as waiting again (when the tablet still has them). */
export function markMissing(shas) {
  return transact(['blobs'], 'readwrite', async (s) => {
    for (const sha of shas) {
      const record = await s.blobs.get(sha);
      if (record && record.state !== 'waiting') await s.blobs.put({ ...record, state: 'waiting' });
    }
  });
}

/** An object URL showing a stored photo (caller revokes it). */
export async function photoUrl(sha) {
  const record = await transact(['blobs'], 'readonly', (s) => s.blobs.get(sha));
  return record ? URL.createObjectURL(await openBlob(record.blob, record.type)) : null;
}
