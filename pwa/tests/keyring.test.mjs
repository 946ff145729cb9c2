// Encryption at rest on fake-indexeddb: the key hierarchy (DEK wrapped under PIN and password),
// wrong PINs counted in meta with the backoff, the PIN change, pulled content sealed, and the
// one-time migration of plain records an older build wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { IDBFactory, skip } from './fakedb.mjs';

const db = await import('../js/db.js');
const outbox = await import('../js/outbox.js');
const keyring = await import('../js/keyring.js');
const vault = await import('../js/vault.js');
const { applyChanges } = await import('../js/pull.js');

keyring.useIterations(1000); // the real count is checked in crypto.test.mjs
const NOTE = 'Prisoner Ivanov said the guard beat him';
const ANSWER = 'Beaten in cell 14 by the night shift';
const PHOTO = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7 + 3) % 256));
const STORES = ['meta', 'visits', 'answers', 'notes', 'photos', 'blobs', 'outbox', 'rejected', 'conflicts'];

function fresh() {
  db.useFactory(new IDBFactory());
  keyring.forget();
}

/** Every record of every store as one latin1 string, typed arrays and Blobs as their bytes. */
async function dump() {
  const raw = await db.transact(STORES, 'readonly', async (s) => {
    const out = [];
    for (const name of STORES) out.push(...await s[name].getAll());
    return out;
  });
  const parts = [];
  const walk = async (value) => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('latin1'));
    else if (value instanceof ArrayBuffer) parts.push(Buffer.from(value).toString('latin1'));
    else if (value instanceof Blob) parts.push(Buffer.from(await value.arrayBuffer()).toString('latin1'));
    else if (value && typeof value === 'object') for (const v of Object.values(value)) await walk(v);
    else parts.push(Buffer.from(String(value), 'utf-8').toString('latin1'));
  };
  for (const record of raw) await walk(record);
  return parts.join('\u0000');
}

const photoText = Buffer.from(PHOTO).toString('latin1');

async function visitWithSecrets() {
  await outbox.recordNote('v1', { text: NOTE, domain: 'safeguards' });
  await outbox.recordAnswer('v1', 'safeguards.allegations_summary', '', ANSWER);
  await outbox.recordAnswer('v1', 'nutrition.meals_per_day', '', 3);
  await outbox.recordPhoto('v1', { sha256: 'ab'.repeat(32), width: 1, height: 1, caption: 'Bruise on the arm',
    blob: new Blob([PHOTO], { type: 'image/jpeg' }) });
}

async function signedInWithPin() {
  fresh();
  await db.setMeta('user', { id: 'u1', username: 'inspector' });
  assert.equal(await keyring.afterSignIn('password-1', { id: 'u1' }), 'new');
  assert.equal(await keyring.gate(), 'set-pin');
  await keyring.setPin('482913');
  assert.equal(await keyring.gate(), 'open');
}

test('notes, safeguards answers, photos and their ops are sealed; lists stay plain', { skip }, async () => {
  await signedInWithPin();
  await visitWithSecrets();
  const stored = await dump();
  for (const secret of [NOTE, ANSWER, 'Bruise on the arm', photoText]) assert.ok(!stored.includes(secret), secret);
  const [note] = await db.all('notes', 'visit_id', 'v1');
  assert.equal(note.text, NOTE);
  assert.equal((await db.get('answers', ['v1', 'safeguards.allegations_summary', ''])).value, ANSWER);
  const plain = await db.transact(['answers'], 'readonly', (s) => s.answers.get(['v1', 'nutrition.meals_per_day', '']));
  assert.equal(plain.value, 3); // not sensitive: stays plain
  const [blob] = await db.all('blobs');
  assert.deepEqual(new Uint8Array(await blob.blob.arrayBuffer()), PHOTO);
  const wire = await outbox.wireOps(await outbox.pendingOps());
  assert.deepEqual(wire.map((op) => op.value?.text ?? op.value?.caption ?? op.value),
    [NOTE, ANSWER, 3, 'Bruise on the arm']);
  keyring.forget();
  await assert.rejects(outbox.wireOps(await outbox.pendingOps()), vault.LockedError);
});

test('wrong PINs are refused, counted in meta, and wait after three; nothing is erased', { skip }, async () => {
  await signedInWithPin();
  await visitWithSecrets();
  keyring.forget();
  assert.equal(await keyring.gate(), 'locked');
  for (const left of [2, 1]) {
    const result = await keyring.unlock('000000');
    assert.equal(result.ok, false);
    assert.equal(result.freeLeft, left);
  }
  const third = await keyring.unlock('111111');
  assert.equal(third.ok, false);
  assert.equal(third.waitMs, 30000);
  assert.deepEqual((await db.getMeta(keyring.FAILURES)).count, 3);
  const waiting = await keyring.unlock('482913'); // the right PIN, but during the wait
  assert.equal(waiting.ok, false);
  assert.equal(waiting.waiting, true);
  assert.equal(vault.unlocked(), false);
  await db.setMeta(keyring.FAILURES, { count: 3, at: Date.now() - 31000 });
  assert.equal((await keyring.unlock('482913')).ok, true);
  assert.equal((await db.getMeta(keyring.FAILURES)).count, 0);
  assert.equal((await db.all('notes'))[0].text, NOTE);
});

test('a forgotten PIN: the password opens it offline; a new PIN re-wraps only the key', { skip }, async () => {
  await signedInWithPin();
  await visitWithSecrets();
  const sealedBefore = await db.transact(['notes'], 'readonly', (s) => s.notes.getAll());
  keyring.forget();
  assert.equal((await keyring.unlockWithPassword('not-it')).ok, false);
  assert.equal((await keyring.unlockWithPassword('password-1')).ok, true);
  assert.equal(await keyring.gate(), 'set-pin'); // recovering: a new PIN first
  await keyring.setPin('a long passphrase');
  keyring.forget();
  assert.equal((await keyring.unlock('482913')).ok, false);
  assert.equal((await keyring.unlock('a long passphrase')).ok, true);
  const sealedAfter = await db.transact(['notes'], 'readonly', (s) => s.notes.getAll());
  assert.deepEqual(sealedAfter, sealedBefore); // the data was not encrypted again
  assert.equal((await db.all('notes'))[0].text, NOTE);
  assert.equal(keyring.pinProblem('123456'), 'lock.pin_weak');
  assert.equal(keyring.pinProblem('12345'), 'lock.pin_short');
  assert.equal(keyring.pinProblem('482913'), null);
});

test('signing in again unlocks with the password; a changed password is wrapped after the PIN', { skip }, async () => {
  await signedInWithPin();
  await visitWithSecrets();
  keyring.forget();
  assert.equal(await keyring.afterSignIn('password-1', { id: 'u1' }), 'unlocked');
  assert.equal((await db.all('notes'))[0].text, NOTE);
  keyring.forget();
  assert.equal(await keyring.afterSignIn('password-2', { id: 'u1' }), 'pending');
  assert.equal((await keyring.unlock('482913')).ok, true);
  keyring.forget();
  assert.equal((await keyring.unlockWithPassword('password-2')).ok, true);
});

test('pulled notes, safeguards answers and their conflicts are stored sealed', { skip }, async () => {
  await signedInWithPin();
  const other = 'Another inspector heard about the punishment cell';
  await applyChanges([
    { seq: 1, entity: 'note', visit_id: 'v2', hlc: '1-0-d', data: { id: 'n1', text: other, domain: 'safeguards' } },
    { seq: 2, entity: 'answer', visit_id: 'v2', hlc: '2-0-d',
      data: { question_id: 'safeguards.allegations_summary', regime: '', value: ANSWER } },
    { seq: 3, entity: 'conflict', visit_id: 'v2', data: { id: 'c1', status: 'open',
      field: 'answer:safeguards.allegations_summary:', loser: { value: 'Loser says beaten', author_id: 'x' },
      winner: { value: ANSWER } } },
    { seq: 4, entity: 'photo', visit_id: 'v2', data: { id: 'p1', sha256: 'cd'.repeat(32), caption: 'Cell 14 door' } },
  ], 'cursor:u1', 4);
  const stored = await dump();
  for (const secret of [other, ANSWER, 'Loser says beaten', 'Cell 14 door']) assert.ok(!stored.includes(secret), secret);
  assert.equal((await db.all('notes', 'visit_id', 'v2'))[0].text, other);
  const [conflict] = await db.all('conflicts', 'visit_id', 'v2');
  assert.equal(conflict.items[0].loser.value, 'Loser says beaten');
  assert.equal((await db.get('photos', 'p1')).caption, 'Cell 14 door');
});

test('an install from before encryption: plain records are sealed in place once', { skip }, async () => {
  fresh();
  await db.setMeta('user', { id: 'u1', username: 'inspector' });
  await db.setMeta('token', 'old-token');
  await db.transact(['notes', 'answers', 'blobs', 'photos', 'outbox', 'rejected', 'conflicts'], 'readwrite', async (s) => {
    await s.notes.put({ id: 'n1', visit_id: 'v1', domain: 'safeguards', text: NOTE });
    await s.answers.put({ visit_id: 'v1', question_id: 'safeguards.allegations_summary', regime: '', value: ANSWER });
    await s.answers.put({ visit_id: 'v1', question_id: 'walk.minutes_per_day', regime: 'strict', value: 45 });
    await s.blobs.put({ sha256: 'ab'.repeat(32), blob: new Blob([PHOTO], { type: 'image/jpeg' }),
      type: 'image/jpeg', size: PHOTO.length, state: 'waiting', offset: 0 });
    await s.photos.put({ id: 'p1', visit_id: 'v1', sha256: 'ab'.repeat(32), caption: 'Bruise on the arm' });
    await s.outbox.put({ seq: 1, op_id: 'o1', type: 'note.add', visit_id: 'v1', format: 2,
      value: { note_id: 'n1', text: NOTE, domain: 'safeguards' } });
    await s.outbox.put({ seq: 2, op_id: 'o2', type: 'answer.set', visit_id: 'v1', format: 2,
      question_id: 'walk.minutes_per_day', regime: 'strict', value: 45 });
    await s.rejected.put({ op_id: 'o0', type: 'answer.set', visit_id: 'v1', format: 2, reason: 'x',
      question_id: 'safeguards.allegations_summary', value: ANSWER });
    await s.conflicts.put({ visit_id: 'v1', question_id: 'safeguards.allegations_summary', regime: '',
      items: [{ id: 'c1', loser: { value: 'Loser says beaten' }, winner: { value: ANSWER } }] });
  });
  const old = await outbox.pendingOps();
  assert.equal((await outbox.wireOps(old))[0].value.text, NOTE); // old-format ops push as they are
  assert.equal(await keyring.gate(), 'new');
  await keyring.setPin('482913', { password: 'password-1' });
  const stored = await dump();
  for (const secret of [NOTE, ANSWER, 'Bruise on the arm', 'Loser says beaten', photoText]) {
    assert.ok(!stored.includes(secret), secret);
  }
  assert.equal(await db.getMeta(keyring.SEALED), 1);
  const ops = await outbox.pendingOps();
  assert.deepEqual(ops.map((op) => op.format), [3, 2]); // only the sealed op changed shape
  assert.deepEqual((await outbox.wireOps(ops)).map((op) => op.value?.text ?? op.value), [NOTE, 45]);
  assert.equal((await db.all('rejected'))[0].value, ANSWER);
  assert.equal((await db.get('answers', ['v1', 'walk.minutes_per_day', 'strict'])).value, 45);
  const [blob] = await db.all('blobs');
  assert.deepEqual(new Uint8Array(await blob.blob.arrayBuffer()), PHOTO);
  keyring.forget();
  assert.equal((await keyring.unlockWithPassword('password-1')).ok, true); // the recovery wrap
  assert.equal(await keyring.sealExisting(), 0); // once
});
