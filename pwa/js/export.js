// "Export unsynced data": every op still in the outbox (and those the server refused) with
// the photos they need, as one JSON file a chair imports on the server (`tekseru sync import`),
// which applies it through the same push path, so importing twice changes nothing. Sealed
// values and photos are opened for it, so it needs the app unlocked (the button is on a screen
// only an unlocked app shows).
import { transact } from './db.js';
import { openOp, wireOp, wireOps } from './outbox.js';
import { openBlob } from './vault.js';
import { SCHEMA_VERSION } from './sync.js';

export const EXPORT_FORMAT = 'tekseru-export';

async function base64(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Collect the export's content: {format, version, device_id, user, ops, rejected, blobs}. */
export async function collectExport() {
  const data = await transact(['meta', 'outbox', 'rejected', 'blobs'], 'readonly', async (s) => ({
    device: await s.meta.get('device_id'), user: await s.meta.get('user'),
    ops: await s.outbox.getAll(), rejected: await s.rejected.getAll(), blobs: await s.blobs.getAll(),
  }));
  const ops = await wireOps(data.ops);
  const rejected = [];
  for (const op of data.rejected) rejected.push({ ...wireOp(await openOp(op)), reason: op.reason });
  const needed = new Set(ops.concat(rejected)
    .filter((op) => op.type === 'photo.attach').map((op) => op.value.sha256));
  const blobs = [];
  for (const record of data.blobs) {
    if (needed.has(record.sha256) || record.state === 'waiting') {
      blobs.push({ sha256: record.sha256, content_type: record.type || 'image/jpeg',
        size: record.size, data: await base64(await openBlob(record.blob, record.type)) });
    }
  }
  return {
    format: EXPORT_FORMAT, version: 1, schema_version: SCHEMA_VERSION,
    exported_at: new Date().toISOString(), device_id: data.device,
    user: data.user ? { id: data.user.id, username: data.user.username } : null,
    ops, rejected, blobs,
  };
}

/** Save the export as a file download. */
export async function downloadExport() {
  const content = await collectExport();
  const blob = new Blob([JSON.stringify(content)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const stamp = content.exported_at.replace(/[:.]/g, '-');
  const link = Object.assign(document.createElement('a'), { href: url, download: `tekseru-unsynced-${stamp}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return content;
}
