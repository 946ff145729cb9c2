// Value semantics of the checklist expression language, the twin of
// server/forms/exprvalues.py: no coercion, null equals only null, ordering for numbers only.

/** Tell whether a value is a number (booleans are not numbers). */
export function isNumber(value) {
  return typeof value === 'number' && !Number.isNaN(value);
}

/** Truth of a value: null, false, 0, '' and [] are false. */
export function truthy(value) {
  if (value === null || value === undefined || value === false) return false;
  if (value === true) return true;
  if (isNumber(value)) return value !== 0;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  return true;
}

/** Compare two values without coercion. */
export function equal(a, b) {
  const an = a === undefined ? null : a;
  const bn = b === undefined ? null : b;
  if (an === null || bn === null) return an === null && bn === null;
  if (typeof an === 'boolean' || typeof bn === 'boolean') return an === bn;
  if (isNumber(an) && isNumber(bn)) return an === bn;
  if (typeof an === 'string' && typeof bn === 'string') return an === bn;
  if (Array.isArray(an) && Array.isArray(bn)) {
    return an.length === bn.length && an.every((x, i) => equal(x, bn[i]));
  }
  return false;
}

/** Apply a comparison operator. */
export function compare(op, a, b) {
  if (op === '==') return equal(a, b);
  if (op === '!=') return !equal(a, b);
  if (!(isNumber(a) && isNumber(b))) return false;
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

/** Tell whether a list holds an item; anything but a list holds nothing. */
export function member(item, collection) {
  return Array.isArray(collection) && collection.some((x) => equal(item, x));
}

/** Read kind, regimes or populations of a facility. */
export function facilityField(facility, name) {
  if (facility === null || facility === undefined) return null;
  const value = Object.prototype.hasOwnProperty.call(facility, name) ? facility[name] : null;
  if (name !== 'kind' && value !== null && value !== undefined) return Array.from(value);
  return value === undefined ? null : value;
}

function lookup(answers, id) {
  return Object.prototype.hasOwnProperty.call(answers, id) ? answers[id] ?? null : null;
}

/** Compile a syntax tree into a function (answers, facility, value) -> value. */
export function compileNode(node) {
  const kind = node[0];
  if (kind === 'lit') return () => node[1];
  if (kind === 'list') {
    const items = Array.from(node[1]);
    return () => items;
  }
  if (kind === 'ref') return (a) => lookup(a, node[1]);
  if (kind === 'fac') return (a, f) => facilityField(f, node[1]);
  if (kind === 'cur') return (a, f, v) => (v === undefined ? null : v);
  if (kind === 'not') {
    const operand = compileNode(node[1]);
    return (a, f, v) => !truthy(operand(a, f, v));
  }
  if (kind === 'cmp') {
    const [, op, l, r] = node;
    const left = compileNode(l);
    const right = compileNode(r);
    return (a, f, v) => compare(op, left(a, f, v), right(a, f, v));
  }
  const left = compileNode(node[1]);
  const right = compileNode(node[2]);
  if (kind === 'in') return (a, f, v) => member(left(a, f, v), right(a, f, v));
  if (kind === 'and') return (a, f, v) => truthy(left(a, f, v)) && truthy(right(a, f, v));
  if (kind === 'or') return (a, f, v) => truthy(left(a, f, v)) || truthy(right(a, f, v));
  throw new Error(`unknown node ${kind}`);
}
