// Apply a page of pulled changes to the local store, with the new cursor, in one transaction.
// A field with an edit still in the outbox keeps the local value (the push will settle it);
// its cursor still moves, so the next edit's `base` says what this tablet has seen.
import { transact } from './db.js';
import { receive } from './hlc.js';
import { sealChange } from './vault.js';

const STORES = ['meta', 'visits', 'answers', 'notes', 'photos', 'conflicts', 'outbox'];

const regimeOf = (value) => value || '';

async function pendingFields(outbox) {
  const fields = new Set();
  for (const op of await outbox.getAll()) {
    if (op.type.startsWith('answer.')) fields.add(`${op.visit_id}|${op.question_id}|${regimeOf(op.regime)}`);
  }
  return fields;
}

async function applyAnswer(s, change, data, pending) {
  const regime = regimeOf(data.regime);
  const key = [change.visit_id, data.question_id, regime];
  const old = await s.answers.get(key);
  const base = { visit_id: change.visit_id, question_id: data.question_id, regime };
  if (pending.has(key.join('|'))) {
    await s.answers.put({ ...base, ...old, cursor: change.seq });
    return;
  }
  await s.answers.put({ ...base, value: data.value ?? null, hlc: change.hlc, cursor: change.seq,
    author_id: change.author_id || null, own: Boolean(change.own) });
}

/** Keep a field's open conflicts (data.field is "answer:<question>:<regime>"). */
async function applyConflict(s, change, data) {
  const match = /^answer:([^:]+):(.*)$/.exec(data.field || '');
  if (!match) return;
  const key = [change.visit_id, match[1], match[2]];
  const old = await s.conflicts.get(key);
  const items = (old?.items || []).filter((item) => item.id !== data.id);
  if (data.status === 'open' && data.loser) items.push(data);
  if (items.length) {
    await s.conflicts.put({ visit_id: key[0], question_id: key[1], regime: key[2], items });
  } else if (old) {
    await s.conflicts.delete(key);
  }
}

async function applyOne(s, change, pending) {
  const data = change.data || {};
  switch (change.entity) {
    case 'visit': {
      const old = await s.visits.get(change.visit_id);
      await s.visits.put({ ...old, ...data, id: change.visit_id, status: data.status || old?.status || 'draft' });
      break;
    }
    case 'answer': await applyAnswer(s, change, data, pending); break;
    case 'note': {
      const id = data.id || change.op_id;
      if (!(await s.notes.get(id))) await s.notes.put({ ...data, id, visit_id: change.visit_id });
      break;
    }
    case 'photo': {
      const id = data.id || change.op_id;
      if (!(await s.photos.get(id))) await s.photos.put({ ...data, id, visit_id: change.visit_id });
      break;
    }
    case 'conflict': await applyConflict(s, change, data); break;
    default: break; // a newer server's entity: ignored, never fatal
  }
}

/** Store one page of changes and the cursor after it (under the account's cursor key). */
export async function applyChanges(received, cursorKey, nextCursor) {
  // Sensitive content is sealed before the transaction (WebCrypto cannot run inside one).
  const changes = [];
  for (const change of received) changes.push(await sealChange(change));
  return transact(STORES, 'readwrite', async (s) => {
    const pending = await pendingFields(s.outbox);
    let clock = await s.meta.get('clock');
    for (const change of changes) {
      await applyOne(s, change, pending);
      if (change.hlc && !change.own) clock = receive(clock, change.hlc);
    }
    await s.meta.put(clock || { ms: 0, counter: 0 }, 'clock');
    await s.meta.put(nextCursor, cursorKey);
    return changes.length;
  });
}
