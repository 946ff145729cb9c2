// The expression evaluator against the vectors the Python evaluator runs (forms/vectors/expr.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ExprError, evaluate, parse } from '../js/expr.js';

const file = new URL('../../forms/vectors/expr.json', import.meta.url);
const { vectors } = JSON.parse(readFileSync(file, 'utf-8'));

test('there are vectors', () => assert.ok(vectors.length >= 60));

for (const vector of vectors) {
  test(`vector: ${vector.name}`, () => {
    if ('error' in vector) {
      assert.throws(() => parse(vector.expr), (error) => {
        assert.ok(error instanceof ExprError);
        assert.equal(error.code, vector.error);
        return true;
      });
      return;
    }
    const { answers, facility, value } = vector.context;
    assert.equal(evaluate(vector.expr, answers, facility, value), vector.expected);
  });
}

test('parse collects references and the current value', () => {
  const expr = parse('${a.b} > 1 or (${c.d} == null and . < 3)');
  assert.deepEqual([...expr.refs].sort(), ['a.b', 'c.d']);
  assert.ok(expr.usesValue);
});

test('equal syntax gives equal trees', () => {
  assert.deepEqual(parse('${a.b}  >  1').node, parse('(${a.b} > 1)').node);
  assert.deepEqual(parse("${a.b} not in ('x',)").node, parse("not (${a.b} in ('x',))").node);
});

test('missing answers are null', () => {
  assert.equal(evaluate('${a.b} == null', {}), true);
  assert.equal(evaluate('${constructor.x} == null', {}), true);
});
