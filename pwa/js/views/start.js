// Start a visit: facility, date and team; the visit id is made here, on the tablet.
import { FORM_ID } from '../api.js';
import { getMeta } from '../db.js';
import { pick, t } from '../i18n.js';
import { recordVisit } from '../outbox.js';
import { loadReference } from '../session.js';
import { afterEdit } from '../sync.js';
import { field, h, render, uid } from '../ui.js';

const today = () => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
};

/** The moment a visit on a date starts: now when the date is today, else 09:00 local time. */
export function startMoment(date) {
  if (date === today()) return new Date().toISOString();
  return new Date(`${date}T09:00:00`).toISOString();
}

/** Render the start form into root. */
export async function startView(root, facilityId) {
  const [ref, user] = await Promise.all([loadReference(), getMeta('user')]);
  const facilities = ref.facilities || [];
  const select = h('select', { name: 'facility', required: true },
    facilities.map((f) => h('option', { value: f.id, selected: f.id === facilityId },
      pick({ ru: f.name_ru, kk: f.name_kk, en: f.name_en }))));
  const date = h('input', { type: 'date', name: 'date', required: true, value: today() });
  const meId = uid('team');
  const team = h('fieldset', { class: 'field' }, h('legend', {}, t('start.team')),
    h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: meId, checked: true, disabled: true, value: user?.id }),
      h('label', { for: meId }, user?.full_name || user?.username || '')));
  const form = h('form', { class: 'card narrow' },
    field(t('start.facility'), select, { required: true }),
    field(t('start.date'), date, { required: true }), team,
    h('button', { type: 'submit', class: 'primary' }, t('start.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = crypto.randomUUID();
    await recordVisit({ id, facility_id: select.value, form_id: FORM_ID,
      form_version: ref.form?.version ?? null, started_at: startMoment(date.value),
      team: user?.id ? [user.id] : [] });
    afterEdit();
    location.hash = `#/visit/${id}`;
  });
  render(root, h('h1', {}, t('start.title')), form);
}
