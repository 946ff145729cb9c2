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
  } else if (document.activeElement !== input) {
    input.value = value === null || value === undefined ? ''
      : q.type === 'decimal' || q.type === 'integer' ? formatNumber(value, { useGrouping: false, maximumFractionDigits: 6 }) : String(value);
  }
}

/** Build a question block; returns {el, update}. ctx: {form, facility, standards, records, save, conflicts}. */
export function questionBlock(q, regime, ctx) {
  const id = uid('q');
  const input = INPUTS[q.type](q, id);
  const msgId = `${id}-msg`;
  const message = h('p', { class: 'msg', id: msgId, role: 'alert' });
  const warnings = h('ul', { class: 'warnings', id: `${id}-warn`, 'aria-live': 'polite' });
  const extra = h('p', { class: 'muted derived' });
  const conflict = h('p', { class: 'conflict' });
  const hint = q.hint ? h('p', { class: 'hint', id: `${id}-hint` }, pick(q.hint)) : null;
  const described = [hint ? `${id}-hint` : null, msgId, `${id}-warn`].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', described);
  const title = [pick(q.label), regime ? ` — ${t(`regime.${regime}`)}` : ''].join('');
  const legendId = `${id}-label`;
  const label = q.type === 'boolean'
    ? h('p', { class: 'label', id: legendId }, title)
    : h('label', { for: id, class: 'label', id: legendId }, title);
  if (q.type === 'boolean') input.setAttribute('aria-labelledby', legendId);
  if (q.required) label.append(h('span', { class: 'req', title: t('question.required') }, ' *'));
  const unit = q.unit && (q.type === 'integer' || q.type === 'decimal')
    ? h('span', { class: 'unit' }, t(`unit.${q.unit}`)) : null;
  const clear = h('button', { type: 'button', class: 'link' }, t('question.clear'));
  const unlimitedBox = q.unlimited !== undefined && q.unlimited !== null
    ? h('span', { class: 'choice' }, h('input', { type: 'checkbox', id: `${id}-unl` }),
      h('label', { for: `${id}-unl` }, t('question.unlimited'))) : null;
  const el = h('div', { class: 'question', dataset: { question: q.id, regime: regime || '' } },
    label, hint, h('div', { class: 'control' }, input, unit, unlimitedBox, clear),
    message, extra, warnings, conflict);

  let timer = null;
  let editing = false; // typed or clicked, not yet stored: update() leaves the input alone
  let stored = null;
  const commit = async (value) => {
    clearTimeout(timer);
    el.dataset.saved = 'no';
    stored = value;
    await ctx.save(q, regime, value);
    editing = false;
    el.dataset.saved = 'yes';
  };
  const attempt = () => {
    const parsed = readInput(q, input);
    if (parsed.error) {
      message.textContent = t(parsed.error);
      return;
    }
    const answers = answerMap(ctx.records, regime);
    const broken = checkConstraint(q, parsed.value, answers, ctx.facility);
    message.textContent = broken ? pick(broken.message) : '';
    input.toggleAttribute('aria-invalid', Boolean(broken));
    if (broken) return;
    if (parsed.value === stored) {
      editing = false;
      return;
    }
    commit(parsed.value);
  };
  const typed = q.type !== 'boolean' && q.type !== 'choice';
  input.addEventListener('input', () => {
    editing = true;
    clearTimeout(timer);
    if (typed) timer = setTimeout(attempt, SAVE_DELAY_MS);
  });
  input.addEventListener('change', attempt);
  clear.addEventListener('click', () => {
    writeInput(q, input, null);
    input.value = '';
    message.textContent = '';
    commit(null);
  });
  unlimitedBox?.querySelector('input').addEventListener('change', (event) => {
    commit(event.target.checked ? q.unlimited : null);
  });

  function update() {
    const answers = answerMap(ctx.records, regime);
    el.hidden = !isRelevant(q, answers, ctx.facility);
    const value = answers[q.id] ?? null;
    stored = value;
    if (unlimitedBox) unlimitedBox.querySelector('input').checked = value === q.unlimited;
    if (!editing) writeInput(q, input, value === q.unlimited ? null : value);
    clear.hidden = value === null;
    const derived = value === null ? derivedValue(q, answers) : null;
    extra.textContent = derived !== null ? t('question.derived', { value: formatMeasure(derived, q.unit) }) : '';
    const found = el.hidden ? []
      : checkValue(ctx.standards, ctx.form, ctx.facility, q.id, regime || null, value, answers);
    render(warnings, found.map((b) => h('li', { class: `warning ${b.rule.severity}`, dataset: { rule: b.rule.id } },
      h('span', { class: 'badge' }, t(`severity.${b.rule.severity}`)), ' ', warningText(q, b.value, b.rule))));
    const clashes = ctx.conflicts.get(`${q.id}|${regime || ''}`) || [];
    conflict.textContent = clashes.map((c) => t('conflict.also', { who: c.who, value: showValue(q, c.value) }))
      .join(' · ');
  }
  return { el, update };
}
