// Live warnings: does one value break a rule of a standard set? The twin of the server's rule
// check, held to it by forms/vectors/rules.json (made from the Python code by
// scripts/make_rule_vectors.py). Pure: no DOM, no storage.
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

/** Convert a number between two units of one dimension (null when they differ). */
export function convert(value, from, to) {
  if (from === to || !from || !to) return value;
  if (!(from in UNITS) || !(to in UNITS) || UNITS[from][0] !== UNITS[to][0]) return null;
  const result = Math.round((value * UNITS[from][1] / UNITS[to][1]) * 1e9) / 1e9;
  return result;
}

const within = (list, item) => !list || list.length === 0 || list.includes(item);
const overlaps = (list, items) => !list || list.length === 0 || list.some((x) => (items || []).includes(x));

/** Tell whether a rule applies to a facility (kind, populations), a regime and the answers. */
export function applies(rule, { facility, regime, answers = {} }) {
  if (!within(rule.kinds, facility?.kind)) return false;
  if (!overlaps(rule.populations, facility?.populations)) return false;
  if (rule.regimes && rule.regimes.length) {
    if (regime ? !rule.regimes.includes(regime) : !overlaps(rule.regimes, facility?.regimes)) return false;
  }
  if (rule.when) {
    try {
      if (!evaluate(rule.when, answers, facility)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function compareTo(op, value, threshold) {
  if (op === '>=') return value >= threshold;
  if (op === '>') return value > threshold;
  if (op === '<=') return value <= threshold;
  if (op === '<') return value < threshold;
  if (op === '==') return value === threshold;
  return value !== threshold;
}

/**
 * Judge one value against one rule: 'met', 'not_met' or 'not_assessed' (no value, or a
 * value the rule cannot judge). question gives the value's unit and its "unlimited" marker.
 */
export function judge(rule, value, question = {}) {
  if (value === null || value === undefined) return 'not_assessed';
  const unlimited = question.unlimited !== undefined && question.unlimited !== null
    && value === question.unlimited;
  switch (rule.comparison) {
    case 'is_true': return typeof value === 'boolean' ? (value ? 'met' : 'not_met') : 'not_assessed';
    case 'is_false': return typeof value === 'boolean' ? (value ? 'not_met' : 'met') : 'not_assessed';
    case 'is_unlimited': return unlimited ? 'met' : 'not_met';
    default: break;
  }
  if (typeof value !== 'number') return 'not_assessed';
  if (unlimited) return ['>=', '>'].includes(rule.comparison) ? 'met' : 'not_met';
  const amount = convert(value, question.unit, rule.unit);
  if (amount === null) return 'not_assessed';
  return compareTo(rule.comparison, amount, rule.threshold) ? 'met' : 'not_met';
}

/**
 * Every rule of every standard set that the value breaks, worst first:
 * [{set, rule, status}]. sets: [{id, title, rules: [...]}].
 */
export function breaches(sets, question, value, context) {
  const SEVERITY = { critical: 0, major: 1, minor: 2 };
  const found = [];
  for (const set of sets || []) {
    for (const rule of set.rules || []) {
      if (rule.indicator !== question.id || !applies(rule, context)) continue;
      if (judge(rule, value, question) === 'not_met') found.push({ set, rule });
    }
  }
  return found.sort((a, b) => (SEVERITY[a.rule.severity] ?? 3) - (SEVERITY[b.rule.severity] ?? 3));
}
