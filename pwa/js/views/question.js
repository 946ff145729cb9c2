// One checklist question (in one regime): its input, skip logic, constraint message, live
// warnings with citations, derived value and "also recorded by …" conflicts.
import { answerMap, checkConstraint, derivedValue, isRelevant, parseInput } from '../checklist.js';
import { formatMeasure, formatNumber, pick, t } from '../i18n.js';
import { checkValue } from '../rules.js';
import { h, render, uid } from '../ui.js';

const SAVE_DELAY_MS = 600;

/** How a value reads in a sentence: yes/no, a measure, a choice label or text. */
export function showValue(q, value) {
  if (value === true) return t('question.yes');
  if (value === false) return t('question.no');
  if (typeof value === 'number') {
    return value === q.unlimited ? t('question.unlimited') : formatMeasure(value, q.unit);
  }
  const choice = (q.choices || []).find((c) => c.value === value);
  return choice ? pick(choice.label) : String(value ?? '');
}

/** Who recorded a conflict's value: "you", the author's name (pull sends it), or "another inspector". */
export function whoRecorded(side, me) {
  if (side?.author_id && side.author_id === me?.id) return t('conflict.you');
  return side?.author_name || t('conflict.someone');
}

/** The sentence of a broken rule: "45 min — below Mandela Rules, rule 23.1: at least 1 hour". */
export function warningText(q, value, rule) {
  const citation = [pick(rule.citation?.instrument), pick(rule.citation?.article)].filter(Boolean).join(', ');
  const threshold = typeof rule.threshold === 'number' ? formatMeasure(rule.threshold, rule.unit) : '';
  return t(`warning.${rule.comparison}`, { value: showValue(q, value), citation, threshold });
}

function numberInput(q, id) {
  return h('input', { id, type: 'text', inputmode: q.type === 'integer' ? 'numeric' : 'decimal',
    autocomplete: 'off', class: 'number' });
}

function booleanInput(q, id) {
  const name = uid('b');
  const option = (value, label) => {
    const inputId = `${id}-${value}`;
    return h('span', { class: 'choice' }, h('input', { type: 'radio', name, id: inputId, value }),
      h('label', { for: inputId }, label));
  };
  return h('div', { class: 'yesno', role: 'radiogroup', id },
    option('true', t('question.yes')), option('false', t('question.no')));
}

function choiceInput(q, id) {
  return h('select', { id }, h('option', { value: '' }, t('question.choose')),
    (q.choices || []).map((c) => h('option', { value: c.value }, pick(c.label))));
}

const INPUTS = { integer: numberInput, decimal: numberInput, boolean: booleanInput,
  choice: choiceInput, text: (q, id) => h('textarea', { id, rows: 3 }) };

function readInput(q, input) {
  if (q.type === 'boolean') {
    const checked = input.querySelector('input:checked');
    return checked ? { value: checked.value === 'true' } : { value: null };
  }
  return parseInput(q, input.value);
}

function writeInput(q, input, value) {
  if (q.type === 'boolean') {
    for (const radio of input.querySelectorAll('input')) radio.checked = String(value) === radio.value;
  } else {
    const numeric = q.type === 'decimal' || q.type === 'integer';
    if (value === null || value === undefined) input.value = '';
    else input.value = numeric ? formatNumber(value, { useGrouping: false, maximumFractionDigits: 6 }) : String(value);
  }
}

function labelOf(q, regime, id) {
  const title = [pick(q.label), regime ? ` — ${t(`regime.${regime}`)}` : ''].join('');
  const label = q.type === 'boolean'
    ? h('p', { class: 'label', id: `${id}-label` }, title)
    : h('label', { for: id, class: 'label', id: `${id}-label` }, title);
  if (q.required) label.append(h('span', { class: 'req', title: t('question.required') }, ' *'));
  return label;
}

/** The elements of a block: label, hint, input with its unit, message, warnings, conflict. */
function parts(q, regime) {
  const id = uid('q');
  const p = {
    input: INPUTS[q.type](q, id), label: labelOf(q, regime, id),
    hint: q.hint ? h('p', { class: 'hint', id: `${id}-hint` }, pick(q.hint)) : null,
    message: h('p', { class: 'msg', id: `${id}-msg`, role: 'alert' }),
    warnings: h('ul', { class: 'warnings', id: `${id}-warn`, 'aria-live': 'polite' }),
    derived: h('p', { class: 'muted derived' }), conflict: h('p', { class: 'conflict' }),
    clear: h('button', { type: 'button', class: 'link' }, t('question.clear')),
    unlimited: q.unlimited === undefined || q.unlimited === null ? null
      : h('input', { type: 'checkbox', id: `${id}-unl` }),
  };
  p.input.setAttribute('aria-describedby', [p.hint ? `${id}-hint` : null, `${id}-msg`, `${id}-warn`]
    .filter(Boolean).join(' '));
  if (q.type === 'boolean') p.input.setAttribute('aria-labelledby', `${id}-label`);
  const unit = q.unit && (q.type === 'integer' || q.type === 'decimal')
    ? h('span', { class: 'unit' }, t(`unit.${q.unit}`)) : null;
  const unlimited = p.unlimited && h('span', { class: 'choice' }, p.unlimited,
    h('label', { for: p.unlimited.id }, t('question.unlimited')));
  p.el = h('div', { class: 'question', dataset: { question: q.id, regime: regime || '' } },
    p.label, p.hint, h('div', { class: 'control' }, p.input, unit, unlimited, p.clear),
    p.message, p.derived, p.warnings, p.conflict);
  return p;
}

/**
 * Store edits: typed values after a short pause or on change, clicks at once; a value that
 * breaks the constraint shows its message and is not stored. Returns the edit state that
 * update() reads: an input being edited is never overwritten.
 */
function wire(q, regime, ctx, p) {
  const state = { editing: false, stored: null, timer: null };
  const commit = async (value) => {
    clearTimeout(state.timer);
    p.el.dataset.saved = 'no';
    state.stored = value;
    await ctx.save(q, regime, value);
    state.editing = false;
    p.el.dataset.saved = 'yes';
  };
  const attempt = () => {
    const parsed = readInput(q, p.input);
    if (parsed.error) {
      p.message.textContent = t(parsed.error);
      return;
    }
    const broken = checkConstraint(q, parsed.value, answerMap(ctx.records, regime), ctx.facility);
    p.message.textContent = broken ? pick(broken.message) : '';
    p.input.toggleAttribute('aria-invalid', Boolean(broken));
    if (broken) return;
    if (parsed.value === state.stored) state.editing = false;
    else commit(parsed.value);
  };
  const typed = q.type !== 'boolean' && q.type !== 'choice';
  p.input.addEventListener('input', () => {
    state.editing = true;
    clearTimeout(state.timer);
    if (typed) state.timer = setTimeout(attempt, SAVE_DELAY_MS);
  });
  // A change event without typing (a blur after a pulled value replaced what was typed) is
  // not an edit: storing it would silently overwrite the other tablet's value.
  p.input.addEventListener('change', () => { if (state.editing) attempt(); });
  p.clear.addEventListener('click', () => {
    writeInput(q, p.input, null);
    p.message.textContent = '';
    commit(null);
  });
  p.unlimited?.addEventListener('change', () => commit(p.unlimited.checked ? q.unlimited : null));
  return state;
}

function warningItems(q, found) {
  return found.map((b) => h('li', { class: `warning ${b.rule.severity}`, dataset: { rule: b.rule.id } },
    h('span', { class: 'badge' }, t(`severity.${b.rule.severity}`)), ' ', warningText(q, b.value, b.rule)));
}

/**
 * Build a question block; returns {el, update}. ctx: {form, facility, standards, records,
 * save, conflicts}. update() shows the stored value unless the inspector is editing the input.
 */
export function questionBlock(q, regime, ctx) {
  const p = parts(q, regime);
  const state = wire(q, regime, ctx, p);
  function update() {
    const answers = answerMap(ctx.records, regime);
    p.el.hidden = !isRelevant(q, answers, ctx.facility);
    const value = answers[q.id] ?? null;
    state.stored = value;
    if (p.unlimited) p.unlimited.checked = value === q.unlimited;
    if (!state.editing) writeInput(q, p.input, value === q.unlimited ? null : value);
    p.clear.hidden = value === null;
    const derived = value === null ? derivedValue(q, answers) : null;
    p.derived.textContent = derived === null ? '' : t('question.derived', { value: formatMeasure(derived, q.unit) });
    const found = p.el.hidden ? []
      : checkValue(ctx.standards, ctx.form, ctx.facility, q.id, regime || null, value, answers);
    render(p.warnings, warningItems(q, found));
    const clashes = ctx.conflicts.get(`${q.id}|${regime || ''}`) || [];
    p.conflict.textContent = clashes
      .map((c) => t('conflict.also', { who: c.who, value: showValue(q, c.value) })).join(' · ');
  }
  return { el: p.el, update };
}
