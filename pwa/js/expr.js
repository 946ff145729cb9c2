// The checklist expression language (docs/forms.md), parsed without eval: the twin of
// server/forms/expr.py, checked against the shared vectors in forms/vectors/expr.json.
import { compileNode, truthy } from './exprvalues.js';

const MAX_LENGTH = 2000;
const MAX_DEPTH = 32;
const QUESTION_RE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;
const COMPARISONS = ['==', '!=', '<=', '>=', '<', '>'];
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);
const LITERALS = { true: true, false: false, null: null };
const FACILITY_NAMES = {
  'facility.kind': 'kind', 'facility.regimes': 'regimes', 'facility.populations': 'populations',
};
const TOKEN = new RegExp(
  String.raw`(?<ws>\s+)|(?<num>[0-9]+(?:\.[0-9]+)?)|(?<str>'[^'\n]*'|"[^"\n]*")` +
  String.raw`|(?<ref>\$\{[^}\s]*\})|(?<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|-)` +
  String.raw`|(?<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(?<dot>\.)`, 'y');

/** An expression that does not parse, with a stable code and a position. */
export class ExprError extends Error {
  constructor(code, message, pos = 0) {
    super(`${message} (at ${pos})`);
    this.code = code;
    this.pos = pos;
  }
}

/** Split an expression into [kind, text, position] tokens. */
export function tokenize(source) {
  if (Array.from(source).length > MAX_LENGTH) {
    throw new ExprError('too_long', `expression longer than ${MAX_LENGTH} characters`);
  }
  const tokens = [];
  let pos = 0;
  while (pos < source.length) {
    TOKEN.lastIndex = pos;
    const match = TOKEN.exec(source);
    if (!match) {
      const char = source[pos];
      const what = `'"`.includes(char) ? 'unterminated string' : `unexpected character ${char}`;
      throw new ExprError('syntax_error', what, pos);
    }
    const kind = Object.keys(match.groups).find((k) => match.groups[k] !== undefined);
    const text = match[0];
    if (kind === 'ref' && !QUESTION_RE.test(text.slice(2, -1))) {
      throw new ExprError('bad_reference', `${text} is not a question id`, pos);
    }
    if (kind === 'name' && !KEYWORDS.has(text) && !(text in FACILITY_NAMES)) {
      throw new ExprError('unknown_name', `unknown name ${text}`, pos);
    }
    if (kind !== 'ws') tokens.push([kind !== 'name' || KEYWORDS.has(text) ? kind : 'fac', text, pos]);
    pos += text.length;
  }
  tokens.push(['eof', '', pos]);
  return tokens;
}

const show = (token) => (token[0] === 'eof' ? 'end of expression' : `'${token[1]}'`);
const is = (token, kind, text) => token[0] === kind && token[1] === text;

class Parser {
  constructor(source) {
    this.tokens = tokenize(source);
    this.i = 0;
    this.depth = 0;
  }

  peek(offset = 0) { return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]; }

  take() { return this.tokens[this.i++]; }

  expect(text) {
    const token = this.take();
    if (!is(token, 'op', text)) {
      throw new ExprError('syntax_error', `expected '${text}', found ${show(token)}`, token[2]);
    }
  }

  parse() {
    const node = this.orExpr();
    if (this.peek()[0] !== 'eof') {
      throw new ExprError('syntax_error', `unexpected ${show(this.peek())}`, this.peek()[2]);
    }
    return node;
  }

  binary(word, operand) {
    let node = operand();
    while (is(this.peek(), 'name', word)) {
      this.take();
      node = [word, node, operand()];
    }
    return node;
  }

  enter() {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw new ExprError('too_deep', `nested deeper than ${MAX_DEPTH}`, this.peek()[2]);
    }
  }

  orExpr() {
    this.enter();
    const node = this.binary('or', () => this.binary('and', () => this.notExpr()));
    this.depth -= 1;
    return node;
  }

  notExpr() {
    if (!is(this.peek(), 'name', 'not')) return this.comparison();
    this.take();
    this.enter();
    const node = ['not', this.notExpr()];
    this.depth -= 1;
    return node;
  }

  comparison() {
    const left = this.operand();
    const [kind, text] = this.peek();
    let node;
    if (kind === 'op' && COMPARISONS.includes(text)) {
      this.take();
      node = ['cmp', text, left, this.operand()];
    } else if (kind === 'name' && text === 'in') {
      this.take();
      node = ['in', left, this.operand()];
    } else if (kind === 'name' && text === 'not' && is(this.peek(1), 'name', 'in')) {
      this.i += 2;
      node = ['not', ['in', left, this.operand()]];
    } else {
      return left;
    }
    const next = this.peek();
    if ((next[0] === 'op' && COMPARISONS.includes(next[1])) || is(next, 'name', 'in')) {
      throw new ExprError('syntax_error', 'comparisons cannot be chained', next[2]);
    }
    return node;
  }

  operand() {
    const token = this.peek();
    const [kind, text, pos] = token;
    if (kind === 'num' || kind === 'str' || is(token, 'op', '-')
        || (kind === 'name' && text in LITERALS)) {
      return ['lit', this.literal()];
    }
    this.take();
    if (kind === 'ref') return ['ref', text.slice(2, -1)];
    if (kind === 'fac') return ['fac', FACILITY_NAMES[text]];
    if (kind === 'dot') return ['cur'];
    if (is(token, 'op', '(')) return this.group();
    if (is(token, 'op', '[')) return ['list', this.items(']')];
    throw new ExprError('syntax_error', `unexpected ${show(token)}`, pos);
  }

  group() {
    if (is(this.peek(), 'op', ')')) {
      this.take();
      return ['list', []];
    }
    const start = this.i;
    if (['num', 'str', 'name', 'op'].includes(this.peek()[0]) && this.isTuple()) {
      this.i = start;
      return ['list', this.items(')')];
    }
    this.i = start;
    const node = this.orExpr();
    this.expect(')');
    return node;
  }

  isTuple() {
    try {
      this.literal();
    } catch (error) {
      if (error instanceof ExprError) return false;
      throw error;
    }
    return is(this.peek(), 'op', ',');
  }

  items(closing) {
    const values = [];
    while (!is(this.peek(), 'op', closing)) {
      values.push(this.literal());
      if (!is(this.peek(), 'op', ',')) break;
      this.take();
    }
    this.expect(closing);
    return values;
  }

  literal() {
    const token = this.take();
    const [kind, text, pos] = token;
    if (kind === 'num') return Number(text);
    if (kind === 'str') return text.slice(1, -1);
    if (kind === 'name' && text in LITERALS) return LITERALS[text];
    if (is(token, 'op', '-') && this.peek()[0] === 'num') return -this.literal();
    throw new ExprError('syntax_error', `expected a literal, found ${show(token)}`, pos);
  }
}

function walk(node, out) {
  out.push(node);
  if (node[0] === 'list' || node[0] === 'lit') return out;
  for (const child of node.slice(1)) if (Array.isArray(child)) walk(child, out);
  return out;
}

const parsed = new Map();

/** Parse an expression into {node, source, refs, usesValue, run}; throws ExprError. */
export function parse(source) {
  if (typeof source !== 'string') throw new ExprError('syntax_error', 'an expression must be a string');
  if (parsed.has(source)) return parsed.get(source);
  const node = new Parser(source).parse();
  const nodes = walk(node, []);
  const inner = compileNode(node);
  const expr = {
    node, source,
    refs: new Set(nodes.filter((n) => n[0] === 'ref').map((n) => n[1])),
    usesValue: nodes.some((n) => n[0] === 'cur'),
    run: (answers, facility, value) => truthy(inner(answers || {}, facility ?? null, value)),
  };
  if (parsed.size > 4096) parsed.clear();
  parsed.set(source, expr);
  return expr;
}

/** Evaluate an expression (or its source) to a boolean. */
export function evaluate(expr, answers = {}, facility = null, value = null) {
  return (typeof expr === 'string' ? parse(expr) : expr).run(answers, facility, value);
}
