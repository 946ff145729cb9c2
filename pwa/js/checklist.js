// Checklist logic with no DOM: regimes, skip logic, derived values, input checks and progress.
// Skip logic and constraints use expr.js, the twin of the server's evaluator.
import { evaluate } from './expr.js';

export const NO_REGIME = '';

/** The regimes a facility's per-regime questions are asked for ('' when it has none). */
export function regimesOf(facility) {
  const regimes = facility?.regimes || [];
  return regimes.length ? regimes : [NO_REGIME];
}

/** The regimes one question is asked for. */
export const regimesFor = (question, facility) => (question.per_regime ? regimesOf(facility) : [NO_REGIME]);

/**
 * The answers an expression sees in one regime: answers to single questions, overlaid with
 * this regime's answers to per-regime questions. records: [{question_id, regime, value}].
 */
export function answerMap(records, regime = NO_REGIME) {
  const map = {};
  for (const r of records) if (r.regime === NO_REGIME && r.value !== null) map[r.question_id] = r.value;
  if (regime !== NO_REGIME) {
    for (const r of records) if (r.regime === regime && r.value !== null) map[r.question_id] = r.value;
  }
  return map;
}

/** Tell whether a question is asked, given the answers so far (skip logic). */
export function isRelevant(question, answers, facility) {
  if (!question.relevant) return true;
  try {
    return evaluate(question.relevant, answers, facility);
  } catch {
    return true; // a broken expression never hides a question
  }
}

/** The value a derived question takes from its numerator and denominator, or null. */
export function derivedValue(question, answers) {
  if (!question.derive) return null;
  const top = answers[question.derive.numerator];
  const bottom = answers[question.derive.denominator];
  if (typeof top !== 'number' || typeof bottom !== 'number' || bottom <= 0) return null;
  return top / bottom;
}

const NUMBER = /^[-+]?\d+(?:[.,]\d+)?$/;

/** Turn typed text into a value; returns {value} or {error: key, values}. */
export function parseInput(question, raw) {
  if (typeof raw !== 'string') return { value: raw };
  const text = raw.trim();
  if (text === '') return { value: null };
  if (question.type === 'integer' || question.type === 'decimal') {
    if (!NUMBER.test(text)) return { error: 'question.not_a_number' };
    const value = Number(text.replace(',', '.'));
    if (question.type === 'integer' && !Number.isInteger(value)) return { error: 'question.not_an_integer' };
    return { value };
  }
  return { value: text };
}

/** Check a value against the question's constraint; returns null or {message | key}. */
export function checkConstraint(question, value, answers, facility) {
  const c = question.constraint;
  if (!c || value === null || value === undefined) return null;
  if (question.unlimited !== undefined && value === question.unlimited) return null;
  const numeric = typeof value === 'number';
  const outside = numeric && ((c.min !== undefined && c.min !== null && value < c.min)
    || (c.max !== undefined && c.max !== null && value > c.max));
  let failed = outside;
  if (!failed && c.expr) {
    try {
      failed = !evaluate(c.expr, answers, facility, value);
    } catch {
      failed = false;
    }
  }
  return failed ? { message: c.message } : null;
}

/** Count answered and asked questions of a domain (each regime of a per-regime question counts). */
export function progress(domain, records, facility) {
  let done = 0;
  let total = 0;
  for (const q of domain.questions) {
    if (q.type === 'photo' || q.derive) continue;
    for (const regime of regimesFor(q, facility)) {
      const answers = answerMap(records, regime);
      if (!isRelevant(q, answers, facility)) continue;
      total += 1;
      if (answers[q.id] !== undefined) done += 1;
    }
  }
  return { done, total };
}
