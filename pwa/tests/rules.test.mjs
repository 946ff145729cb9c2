// Live warnings against the cases the Python rule check answered (forms/vectors/rules.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkValue, convert, inForce, judge } from '../js/rules.js';

const file = new URL('../../forms/vectors/rules.json', import.meta.url);
const vectors = JSON.parse(readFileSync(file, 'utf-8'));

test('there are cases, broken and not', () => {
  assert.ok(vectors.cases.length > 500);
  assert.ok(vectors.cases.some((c) => c.expected.length > 0));
  assert.ok(vectors.cases.some((c) => c.expected.length === 0));
});

test('every case warns exactly as the Python check does', () => {
  const wrong = [];
  for (const c of vectors.cases) {
    const found = checkValue(vectors.standards, vectors.form, c.facility, c.question_id, c.regime,
      c.value, c.answers).map((b) => `${b.set.id}/${b.rule.id}`);
    if (JSON.stringify(found) !== JSON.stringify(c.expected)) wrong.push({ ...c, found });
  }
  assert.deepEqual(wrong.slice(0, 5), []);
});

test('units convert as the server converts them', () => {
  assert.equal(convert(1, 'h', 'min'), 60);
  assert.equal(convert(1, 'per_month', 'per_year'), 12);
  assert.throws(() => convert(1, 'h', 'm2'));
});

test('an unlimited value is infinitely large', () => {
  assert.equal(judge('>=', -1, 12, -1), 'met');
  assert.equal(judge('<=', -1, 12, -1), 'not_met');
  assert.equal(judge('is_unlimited', 5, null, -1), 'not_met');
  assert.equal(judge('is_true', 1, null), 'not_assessed');
});

test('the set version in force on a date is the latest one started by then', () => {
  const sets = [
    { id: 'b', version: '1', effective_date: '2020-01-01' },
    { id: 'a', version: '2', effective_date: '2024-01-01' },
    { id: 'a', version: '1', effective_date: '2015-01-01' },
    { id: 'c', version: '1', effective_date: '2030-01-01' },
  ];
  assert.deepEqual(inForce(sets, '2023-06-01').map((s) => `${s.id}@${s.version}`), ['a@1', 'b@1']);
  assert.deepEqual(inForce(sets, '2024-01-01').map((s) => `${s.id}@${s.version}`), ['a@2', 'b@1']);
});
