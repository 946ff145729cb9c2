// Live warnings: the rules of every standard set that one value breaks. The twin of
// server/scoring/engine.py check_value, held to it by forms/vectors/rules.json (written from
// the Python code by scripts/make_rule_vectors.py and run by both test suites). Pure.
import { derivedValue } from './checklist.js';
import { evaluate } from './expr.js';

// unit -> [dimension, size in the dimension's base unit] (server/forms/units.py).
const UNITS = {
  min: ['duration', 1], h: ['duration', 60], day: ['duration', 1440],
  per_day: ['frequency', 365], per_week: ['frequency', 52], per_month: ['frequency', 12],
  per_quarter: ['frequency', 4], per_half_year: ['frequency', 2], per_year: ['frequency', 1],
  m2: ['area', 1], 'm2/person': ['area_per_person', 1], persons: ['count', 1],
  'persons/toilet': ['persons_per_toilet', 1], degC: ['temperature', 1],
  'l/day': ['volume_per_person_day', 1], pct: ['percent', 1], 'mci/month': ['money_per_month', 1],
};
const SEVERITY = { critical: 0, major: 1, minor: 2 };
const ORDER = {
  '>=': (v, t) => v >= t, '>': (v, t) => v > t, '<=': (v, t) => v <= t,
  '<': (v, t) => v < t, '==': (v, t) => v === t, '!=': (v, t) => v !== t,
};

/** The version of each standard set in force on a date (YYYY-MM-DD), as select_versions. */
export function inForce(sets, day) {
  const best = new Map();
  for (const set of sets || []) {
    if (!set.effective_date || set.effective_date > day) continue;
    const current = best.get(set.id);
    const later = !current || set.effective_date > current.effective_date
      || (set.effective_date === current.effective_date && set.version > current.version);
    if (later) best.set(set.id, set);
  }
  return [...best.keys()].sort().map((id) => best.get(id));
}

/** Convert a number between two units of one dimension (rounded to 9 places, as Python). */
export function convert(value, from, to) {
  if (from === to) return value;
  if (!UNITS[from] || !UNITS[to] || UNITS[from][0] !== UNITS[to][0]) throw new Error(`cannot convert ${from} to ${to}`);
  return Math.round((value * UNITS[from][1]) / UNITS[to][1] * 1e9) / 1e9;
}

const isNumber = (v) => typeof v === 'number' && !Number.isNaN(v);

/** met, not_met or not_assessed for a value (threshold in the value's unit). */
export function judge(comparison, value, threshold, unlimited = null) {
  if (value === null || value === undefined) return 'not_assessed';
  if (comparison === 'is_true' || comparison === 'is_false') {
    if (typeof value !== 'boolean') return 'not_assessed';
    return value === (comparison === 'is_true') ? 'met' : 'not_met';
  }
  if (!isNumber(value)) return 'not_assessed';
  const isUnlimited = unlimited !== null && unlimited !== undefined && value === unlimited;
  if (comparison === 'is_unlimited') return isUnlimited ? 'met' : 'not_met';
  return ORDER[comparison](isUnlimited ? Infinity : value, threshold) ? 'met' : 'not_met';
}

/** The facility as rules and expressions see it: regimes and populations sorted, unique. */
export function facilityContext(facility) {
  const sorted = (list) => [...new Set(list || [])].sort();
  return { kind: facility?.kind ?? null, regimes: sorted(facility?.regimes), populations: sorted(facility?.populations) };
}

const disjoint = (a, b) => !a.some((x) => b.includes(x));

function applies(rule, facility) {
  const { kinds = [], regimes = [], populations = [] } = rule;
  return (!kinds.length || kinds.includes(facility.kind))
    && (!regimes.length || !disjoint(regimes, facility.regimes))
    && (!populations.length || !disjoint(populations, facility.populations));
}

/** Answers seen from one regime, with derived questions filled in when not answered. */
function withDerived(form, answers) {
  const view = { ...answers };
  for (const domain of form?.domains || []) {
    for (const q of domain.questions) {
      if (!q.derive || (view[q.id] !== undefined && view[q.id] !== null)) continue;
      const value = derivedValue(q, view);
      if (value !== null) view[q.id] = value;
    }
  }
  return view;
}

function findQuestion(form, id) {
  for (const domain of form?.domains || []) {
    const found = domain.questions.find((q) => q.id === id);
    if (found) return found;
  }
  return null;
}

/**
 * The rules one value breaks, most severe first: [{set, rule, value, threshold, unit}].
 * answers maps other question ids to their values as seen from the same regime.
 */
export function checkValue(sets, form, facility, questionId, regime, value, answers = {}) {
  const question = findQuestion(form, questionId);
  const context = facilityContext(facility);
  const view = withDerived(form, { ...answers, [questionId]: value });
  const found = [];
  for (const set of [...(sets || [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    for (const rule of set.rules || []) {
      if (rule.indicator !== questionId || !applies(rule, context)) continue;
      if (regime && rule.regimes?.length && !rule.regimes.includes(regime)) continue;
      if (rule.when && !evaluate(rule.when, view, context)) continue;
      if (!question || (question.relevant && !evaluate(question.relevant, view, context))) continue;
      const convertible = typeof rule.threshold === 'number' && question.unit;
      const threshold = convertible ? convert(rule.threshold, rule.unit, question.unit) : rule.threshold ?? null;
      const judged = view[questionId] ?? null;
      if (judge(rule.comparison, judged, threshold, question.unlimited ?? null) === 'not_met') {
        found.push({ set, rule, value: judged, threshold, unit: convertible ? question.unit : rule.unit ?? null });
      }
    }
  }
  return found.sort((a, b) => (SEVERITY[a.rule.severity] - SEVERITY[b.rule.severity])
    || (a.set.id < b.set.id ? -1 : a.set.id > b.set.id ? 1 : 0)
    || (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0));
}
