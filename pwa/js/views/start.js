// Start a visit: facility, date and team (picked from the commission's members, kept offline
// with the reference data); the visit id is made here, on the tablet.
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

const MEMBER_ROLES = ['inspector', 'chair'];

/** The people a team is picked from: the commission's members, the inspector first. */
function candidates(members, user) {
  const me = { id: user?.id, name: user?.full_name || user?.username || '', role: user?.role };
  const others = (members || []).filter((m) => m.id !== me.id);
  return me.id ? [me, ...others] : others;
}

/** The team picker: one checkbox per member, the signed-in inspector checked. */
function teamPicker(members, user) {
  const boxes = candidates(members, user).map((m) => {
    const id = uid('team');
    const box = h('input', { type: 'checkbox', id, name: 'team', value: m.id, checked: m.id === user?.id });
    const role = MEMBER_ROLES.includes(m.role) ? h('span', { class: 'muted' }, ` (${t(`role.${m.role}`)})`) : null;
    return h('div', { class: 'check' }, box, h('label', { for: id }, m.name, role));
  });
  const hintId = uid('team-hint');
  return h('fieldset', { class: 'field team', 'aria-describedby': hintId },
    h('legend', {}, t('start.team')),
    h('p', { class: 'hint', id: hintId }, t(members ? 'start.team_hint' : 'start.team_unavailable')),
    boxes);
}

/** Render the start form into root. */
export async function startView(root, facilityId) {
  const [ref, user] = await Promise.all([loadReference(), getMeta('user')]);
  const facilities = ref.facilities || [];
  const select = h('select', { name: 'facility', required: true },
    facilities.map((f) => h('option', { value: f.id, selected: f.id === facilityId },
      pick({ ru: f.name_ru, kk: f.name_kk, en: f.name_en }))));
  const date = h('input', { type: 'date', name: 'date', required: true, value: today() });
  const team = teamPicker(ref.members, user);
  const form = h('form', { class: 'card narrow' },
    field(t('start.facility'), select, { required: true }),
    field(t('start.date'), date, { required: true }), team,
    h('button', { type: 'submit', class: 'primary' }, t('start.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = crypto.randomUUID();
    const picked = [...team.querySelectorAll('input[name=team]:checked')].map((box) => box.value);
    await recordVisit({ id, facility_id: select.value, form_id: FORM_ID,
      form_version: ref.form?.version ?? null, started_at: startMoment(date.value),
      team: picked.length ? picked : [user?.id].filter(Boolean) });
    afterEdit();
    location.hash = `#/visit/${id}`;
  });
  render(root, h('h1', {}, t('start.title')), form);
}
