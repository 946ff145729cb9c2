// Live warnings against the cases the Python rule check answered (forms/vectors/rules.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkValue, convert, judge } from '../js/rules.js';

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
