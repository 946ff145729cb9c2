// Every edit and its outbox operation are written in one IndexedDB transaction, with the clock
// and the per-device sequence number read and advanced inside it: a crash or a closed tab
// either keeps both or neither (docs/pwa.md, "Storage"). Sensitive values (notes, photos and
// their captions, answers of a sensitive domain) are sealed before the transaction (vault.js).
import { OUTBOX_FORMAT, transact } from './db.js';
import { tick } from './hlc.js';
import { isSealed, isSensitiveQuestion, openValue, sealBlob, sealValue } from './vault.js';

const uuid = () => crypto.randomUUID();

/** Return this device's id, making one on first use (inside the caller's transaction). */
export async function deviceId(meta) {
  let id = await meta.get('device_id');
  if (!id) {
    id = uuid();
    await meta.put(id, 'device_id');
  }
  return id;
}

/** Build the next op: advance the clock and the sequence counter in the same transaction. */
async function stampOp(meta, fields) {
  const device = await deviceId(meta);
  const { state, stamp } = tick(await meta.get('clock'), device);
  const seq = ((await meta.get('seq')) || 0) + 1;
  await meta.put(state, 'clock');
  await meta.put(seq, 'seq');
  return {
    op_id: uuid(), seq, hlc: stamp, base: null, ...fields,
    format: OUTBOX_FORMAT, created_at: new Date().toISOString(),
  };
}

/** Start or change a visit. */
export function recordVisit(visit) {
  return transact(['meta', 'visits', 'outbox'], 'readwrite', async (s) => {
    const old = await s.visits.get(visit.id);
    const value = {
      facility_id: visit.facility_id, form_id: visit.form_id,
      form_version: visit.form_version ?? null, started_at: visit.started_at, team: visit.team || [],
    };
    const op = await stampOp(s.meta, { type: 'visit.upsert', visit_id: visit.id, value });
    await s.visits.put({ status: 'draft', ...old, ...visit, updated_hlc: op.hlc });
    await s.outbox.put(op);
    return op;
  });
}

const isEmpty = (value) => value === null || value === undefined || value === '';

/** Set or clear one answer (per regime when the question is asked per regime). */
export async function recordAnswer(visitId, questionId, regime, value) {
  const stored = !isEmpty(value) && isSensitiveQuestion(questionId) ? await sealValue(value) : value;
  return transact(['meta', 'answers', 'outbox'], 'readwrite', async (s) => {
    const key = [visitId, questionId, regime || ''];
    const old = await s.answers.get(key);
    const fields = { visit_id: visitId, question_id: questionId, base: old?.cursor ?? null };
    if (regime) fields.regime = regime;
    const op = isEmpty(value)
      ? await stampOp(s.meta, { ...fields, type: 'answer.clear', value: null })
      : await stampOp(s.meta, { ...fields, type: 'answer.set', value: stored });
    await s.answers.put({
      visit_id: visitId, question_id: questionId, regime: regime || '', value: op.value,
      hlc: op.hlc, cursor: old?.cursor ?? null, author_id: null, own: true,
    });
    await s.outbox.put(op);
    return op;
  });
}

/** Append a note to a visit, a domain or a question (notes are never merged). */
export async function recordNote(visitId, { text, domain = null, questionId = null }) {
  const id = uuid();
  const [sealedText, value] = [await sealValue(text), await sealValue({ note_id: id, text, domain })];
  return transact(['meta', 'notes', 'outbox'], 'readwrite', async (s) => {
    const fields = { type: 'note.add', visit_id: visitId, value };
    if (questionId) fields.question_id = questionId;
    const op = await stampOp(s.meta, fields);
    await s.notes.put({ id, visit_id: visitId, domain, question_id: questionId, text: sealedText,
      hlc: op.hlc, created_at: op.created_at, own: true });
    await s.outbox.put(op);
    return op;
  });
}

/** Keep a photo's bytes, link it to the visit and queue its op, all at once. */
export async function recordPhoto(visitId, photo) {
  const names = ['meta', 'photos', 'blobs', 'outbox'];
  const id = uuid();
  const { sha256, blob, width, height, caption = '', domain = null, questionId = null } = photo;
  const sealed = {
    blob: await sealBlob(blob), caption: await sealValue(caption),
    value: await sealValue({ photo_id: id, sha256, domain, caption }),
  };
  return transact(names, 'readwrite', async (s) => {
    const fields = { type: 'photo.attach', visit_id: visitId, value: sealed.value };
    if (questionId) fields.question_id = questionId;
    const op = await stampOp(s.meta, fields);
    if (!(await s.blobs.get(sha256))) {
      await s.blobs.put({ sha256, blob: sealed.blob, type: blob.type, size: blob.size, width, height,
        state: 'waiting', offset: 0 });
    }
    await s.photos.put({ id, visit_id: visitId, sha256, domain, question_id: questionId,
      caption: sealed.caption,
      hlc: op.hlc, created_at: op.created_at, own: true });
    await s.outbox.put(op);
    return op;
  });
}

/** Hand the visit in: after this the server locks it. */
export function recordSubmit(visitId) {
  return transact(['meta', 'visits', 'outbox'], 'readwrite', async (s) => {
    const op = await stampOp(s.meta, { type: 'visit.submit', visit_id: visitId, value: null });
    const visit = await s.visits.get(visitId);
    if (visit) await s.visits.put({ ...visit, status: 'submitted' });
    await s.outbox.put(op);
    return op;
  });
}

const LOCAL_FIELDS = ['format', 'created_at'];

/** Return the op as it goes on the wire (local bookkeeping removed). */
export function wireOp(op) {
  const out = { ...op };
  for (const field of LOCAL_FIELDS) delete out[field];
  return out;
}

/** Return the ops as they go on the wire, sealed values opened (LockedError when locked). */
export async function wireOps(ops) {
  const out = [];
  for (const op of ops) out.push(wireOp(await openOp(op)));
  return out;
}

/** Return the op with its sealed value opened (LockedError when locked); a plain one as is. */
export async function openOp(op) {
  return isSealed(op.value) ? { ...op, value: await openValue(op.value) } : op;
}

/** Return the oldest pending ops, at most limit, in sequence order. */
export function pendingOps(limit = 500) {
  return transact(['outbox'], 'readonly', (s) => s.outbox.getAll(undefined, limit));
}

/** Apply a push's results: done ops leave the outbox, rejected ones are set aside. */
export function settle(ops, results) {
  const byId = new Map(ops.map((op) => [op.op_id, op]));
  return transact(['outbox', 'rejected'], 'readwrite', async (s) => {
    const tally = { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
    for (const result of results) {
      const op = byId.get(result.op_id);
      if (!op || !(result.status in tally)) continue;
      tally[result.status] += 1;
      await s.outbox.delete(op.seq);
      if (result.status === 'rejected') {
        await s.rejected.put({ ...op, reason: result.reason || 'unknown',
          rejected_at: new Date().toISOString() });
      }
    }
    return tally;
  });
}

/** Take a new device id after the server said our history does not match (409). */
export function renumber() {
  return transact(['meta', 'outbox'], 'readwrite', async (s) => {
    const ops = await s.outbox.getAll();
    await s.outbox.clear();
    const device = uuid();
    await s.meta.put(device, 'device_id');
    let seq = 0;
    for (const op of ops) {
      seq += 1;
      await s.outbox.put({ ...op, seq });
    }
    await s.meta.put(seq, 'seq');
    return device;
  });
}

/** Count what waits: pending ops, rejected ops and photos not yet on the server. */
export function backlog() {
  return transact(['outbox', 'rejected', 'blobs'], 'readonly', async (s) => ({
    pending: await s.outbox.count(),
    rejected: await s.rejected.count(),
    photos: await s.blobs.countBy('state', 'waiting'),
  }));
}
