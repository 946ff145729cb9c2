// Small DOM helpers shared by the views: element building, ids tying labels to inputs, notices.

let counter = 0;

/** Return a fresh element id (labels point at inputs with it). */
export const uid = (prefix = 'f') => `${prefix}-${(counter += 1)}`;

/** Build an element: h('button', {class: 'x', onclick}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key in el && typeof value !== 'string') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's content. */
export function render(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A labelled field: label tied to the input, optional hint and message tied by aria. */
export function field(labelText, input, { hint, message, required } = {}) {
  input.id = input.id || uid();
  const hintId = hint ? `${input.id}-hint` : null;
  const describedBy = [hintId, `${input.id}-msg`].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', describedBy);
  return h('div', { class: 'field' },
    h('label', { for: input.id }, labelText, required ? h('span', { class: 'req' }, ' *') : null),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    input,
    h('p', { class: 'msg', id: `${input.id}-msg`, role: 'status' }, message || ''));
}

/** Show a short notice in the page's live region. */
export function announce(text) {
  const region = document.getElementById('announce');
  if (region) region.textContent = text;
}

/** Move focus to a screen's heading so keyboard and screen-reader users land there. */
export function focusHeading(root) {
  const heading = root.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}
