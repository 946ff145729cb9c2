// The local store and the outbox under node, on fake-indexeddb (skipped when it is not installed).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { IDBFactory, skip } from './fakedb.mjs';

const db = await import('../js/db.js');
const outbox = await import('../js/outbox.js');
const vault = await import('../js/vault.js');

function fresh() {
  const factory = new IDBFactory();
  db.useFactory(factory);
  return factory;
}

test('an answer and its op are written together, with rising seq and clock', { skip }, async () => {
  fresh();
  const a = await outbox.recordAnswer('v1', 'walk.minutes_per_day', 'strict', 45);
  const b = await outbox.recordAnswer('v1', 'walk.minutes_per_day', 'strict', 50);
  assert.equal(a.type, 'answer.set');
  assert.equal(b.seq, a.seq + 1);
  assert.equal(a.regime, 'strict');
  const stored = await db.get('answers', ['v1', 'walk.minutes_per_day', 'strict']);
  assert.equal(stored.value, 50);
  assert.deepEqual((await outbox.pendingOps()).map((op) => op.op_id), [a.op_id, b.op_id]);
});

test('clearing an answer queues answer.clear; no regime means none on the wire', { skip }, async () => {
  fresh();
  const op = await outbox.recordAnswer('v1', 'nutrition.meals_per_day', '', '');
  assert.equal(op.type, 'answer.clear');
  assert.equal('regime' in op, false);
  assert.equal('format' in outbox.wireOp(op), false);
});

test('a failing edit leaves neither the record nor the op', { skip }, async () => {
  fresh();
  await outbox.recordAnswer('v1', 'a.b', '', 1);
  await assert.rejects(db.transact(['answers', 'outbox'], 'readwrite', async (s) => {
    await s.answers.put({ visit_id: 'v1', question_id: 'a.c', regime: '', value: 2 });
    throw new Error('crash half-way');
  }));
  assert.equal(await db.get('answers', ['v1', 'a.c', '']), undefined);
  assert.equal((await outbox.pendingOps()).length, 1);
});

test('settle drops done ops and sets rejected ones aside', { skip }, async () => {
  fresh();
  const ops = [];
  for (let i = 0; i < 3; i += 1) ops.push(await outbox.recordAnswer('v1', `q.n${i}`, '', i + 1));
  const tally = await outbox.settle(ops, [
    { op_id: ops[0].op_id, status: 'applied' },
    { op_id: ops[1].op_id, status: 'rejected', reason: 'unknown_question' },
    { op_id: ops[2].op_id, status: 'duplicate' },
  ]);
  assert.deepEqual(tally, { applied: 1, duplicate: 1, conflict: 0, rejected: 1 });
  assert.equal((await outbox.pendingOps()).length, 0);
  const [rejected] = await db.all('rejected');
  assert.equal(rejected.reason, 'unknown_question');
  assert.deepEqual(await outbox.backlog(), { pending: 0, rejected: 1, photos: 0 });
});

test('renumber takes a new device id and numbers pending ops from 1', { skip }, async () => {
  fresh();
  await outbox.recordAnswer('v1', 'q.a', '', 1);
  await outbox.recordAnswer('v1', 'q.b', '', 2);
  const before = await db.getMeta('device_id');
  const after = await outbox.renumber();
  assert.notEqual(before, after);
  assert.deepEqual((await outbox.pendingOps()).map((op) => op.seq), [1, 2]);
  assert.equal((await outbox.recordAnswer('v1', 'q.c', '', 3)).seq, 3);
});

/** The schema as version 1 shipped it, frozen here as an old tablet would hold it. */
function shipVersion1(conn) {
  conn.createObjectStore('meta');
  conn.createObjectStore('visits', { keyPath: 'id' });
  conn.createObjectStore('answers', { keyPath: ['visit_id', 'question_id', 'regime'] })
    .createIndex('visit_id', 'visit_id');
  conn.createObjectStore('notes', { keyPath: 'id' }).createIndex('visit_id', 'visit_id');
  conn.createObjectStore('photos', { keyPath: 'id' }).createIndex('visit_id', 'visit_id');
  conn.createObjectStore('blobs', { keyPath: 'sha256' }).createIndex('state', 'state');
  conn.createObjectStore('outbox', { keyPath: 'seq' });
}

test('a version 1 store migrates: rejected ops move out, the rest gain a format', { skip }, async () => {
  const factory = fresh();
  await new Promise((resolve, reject) => {
    const request = factory.open(db.DB_NAME, 1);
    request.onupgradeneeded = () => shipVersion1(request.result);
    request.onsuccess = () => {
      const conn = request.result;
      const tx = conn.transaction(['outbox'], 'readwrite');
      tx.objectStore('outbox').put({ seq: 1, op_id: 'a', type: 'answer.set', visit_id: 'v' });
      tx.objectStore('outbox').put({ seq: 2, op_id: 'b', type: 'answer.set', visit_id: 'v',
        status: 'rejected', reason: 'visit_locked' });
      tx.oncomplete = () => { conn.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    request.onerror = () => reject(request.error);
  });
  const pending = await outbox.pendingOps();
  // the v2 step stamps format 2; sealing (format 3) waits for the key (keyring.test.mjs)
  assert.deepEqual(pending.map((op) => [op.op_id, op.format]), [['a', 2]]);
  const rejected = await db.all('rejected');
  assert.deepEqual(rejected.map((op) => [op.op_id, op.reason]), [['b', 'visit_locked']]);
});

test('a photo keeps its bytes once, however often it is attached', { skip }, async () => {
  fresh();
  vault.setKey(await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true,
    ['encrypt', 'decrypt'])); // photos are sealed at rest: the app is unlocked
  const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' });
  await outbox.recordPhoto('v1', { sha256: 'ab'.repeat(32), blob, width: 1, height: 1 });
  await outbox.recordPhoto('v1', { sha256: 'ab'.repeat(32), blob, width: 1, height: 1 });
  assert.equal(await db.count('blobs'), 1);
  assert.equal((await db.all('photos', 'visit_id', 'v1')).length, 2);
  assert.equal((await outbox.backlog()).photos, 1);
});
