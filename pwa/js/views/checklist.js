// The checklist of one visit, one domain at a time, with progress per domain, per-regime
// questions, skip logic, live warnings, notes, photos and handing the visit in.
import { all, get, getMeta } from '../db.js';
import { NO_REGIME, progress, regimesFor } from '../checklist.js';
import { formatDate, pick, t } from '../i18n.js';
import { recordAnswer, recordSubmit } from '../outbox.js';
import { facilityById, loadReference } from '../session.js';
import { afterEdit } from '../sync.js';
import { announce, h, render } from '../ui.js';
import { notesBlock, photosBlock, releasePhotos } from './attachments.js';
import { questionBlock, whoRecorded } from './question.js';
import { inForce } from '../rules.js';

function domainNav(form, visitId, current, records, facility) {
  return h('nav', { class: 'domains', 'aria-label': t('visit.domains') },
    h('ol', {}, form.domains.map((d) => {
      const { done, total } = progress(d, records, facility);
      return h('li', {}, h('a', {
        href: `#/visit/${visitId}/${d.id}`, 'aria-current': d.id === current.id ? 'page' : null,
        class: done === total && total > 0 ? 'complete' : null, dataset: { domain: d.id },
      }, h('span', {}, pick(d.label)), h('span', { class: 'count' }, `${done}/${total}`)));
    })));
}

async function loadConflicts(visitId, me) {
  const rows = await all('conflicts', 'visit_id', visitId);
  return new Map(rows.map((row) => [`${row.question_id}|${row.regime || ''}`, row.items.map((item) => ({
    who: whoRecorded(item.loser, me), value: item.loser.value,
  }))]));
}

function footer(form, index, visit, locked) {
  const prev = form.domains[index - 1];
  const next = form.domains[index + 1];
  const submit = h('button', { type: 'button', class: 'primary', disabled: locked }, t('visit.submit'));
  submit.addEventListener('click', async () => {
    if (!globalThis.confirm(t('visit.submit_confirm'))) return;
    await recordSubmit(visit.id);
    afterEdit();
    location.hash = `#/visit/${visit.id}/${form.domains[index].id}`;
    globalThis.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  return h('div', { class: 'pager' },
    prev ? h('a', { class: 'button', href: `#/visit/${visit.id}/${prev.id}`, rel: 'prev' }, `← ${t('visit.previous')}`) : h('span'),
    next ? h('a', { class: 'button primary', href: `#/visit/${visit.id}/${next.id}`, rel: 'next' }, `${t('visit.next')} →`) : submit);
}

/** Render one domain of a visit's checklist into root. */
export async function checklistView(root, visitId, domainId) {
  releasePhotos();
  const [ref, visit] = await Promise.all([loadReference(), get('visits', visitId)]);
  if (!visit) return render(root, h('h1', {}, t('visit.title')), h('p', {}, t('visit.not_found')));
  const { form } = ref;
  if (!form) return render(root, h('h1', {}, t('visit.title')), h('p', { class: 'notice' }, t('visit.form_missing')));
  const facility = facilityById(ref, visit.facility_id) || { id: visit.facility_id, regimes: [], populations: [] };
  const index = Math.max(0, form.domains.findIndex((d) => d.id === domainId));
  const domain = form.domains[index];
  const locked = visit.status !== 'draft';
  const ctx = {
    form, facility, standards: inForce(ref.standards, String(visit.started_at).slice(0, 10)), records: await all('answers', 'visit_id', visitId),
    conflicts: await loadConflicts(visitId, await getMeta('user')),
  };
  const blocks = [];
  const navSlot = h('div');
  const heading = h('p', { class: 'progress', 'aria-live': 'polite' });
  const refresh = () => {
    for (const block of blocks) block.update();
    const { done, total } = progress(domain, ctx.records, facility);
    heading.textContent = t('visit.progress', { done, total });
    render(navSlot, domainNav(form, visitId, domain, ctx.records, facility));
  };
  ctx.save = async (q, regime, value) => {
    await recordAnswer(visitId, q.id, regime, value);
    const key = (r) => r.question_id === q.id && r.regime === (regime || NO_REGIME);
    ctx.records = ctx.records.filter((r) => !key(r));
    if (value !== null) ctx.records.push({ visit_id: visitId, question_id: q.id, regime: regime || NO_REGIME, value });
    refresh();
    announce(t('question.saved'));
    afterEdit();
  };
  const body = domain.questions.map((q) => {
    if (q.type === 'photo') return photosBlock(visitId, { domain, question: q, title: pick(q.label) });
    return regimesFor(q, facility).map((regime) => {
      const block = questionBlock(q, regime, ctx);
      blocks.push(block);
      return block.el;
    });
  });
  const facilityName = pick({ ru: facility.name_ru, kk: facility.name_kk, en: facility.name_en });
  render(root,
    h('header', { class: 'visit-head' }, h('h1', {}, facilityName || t('visit.title')),
      h('p', { class: 'muted' }, `${pick(form.title)} · ${formatDate(visit.started_at)}`)),
    navSlot,
    locked ? h('p', { class: 'notice' }, t('visit.submitted')) : null,
    h('section', { class: 'domain', 'aria-labelledby': `d-${domain.id}` },
      h('h2', { id: `d-${domain.id}` }, pick(domain.label)), heading,
      h('fieldset', { class: 'questions', disabled: locked }, body)),
    domain.notes ? notesBlock(visitId, domain) : null,
    domain.photos ? photosBlock(visitId, { domain }) : null,
    footer(form, index, visit, locked));
  refresh();
  const onPulled = async () => { // others' answers and conflicts, updated in place
    const now = await get('visits', visitId);
    if (now?.status !== visit.status) {
      globalThis.dispatchEvent(new HashChangeEvent('hashchange')); // locked: draw it again
      return;
    }
    ctx.records = await all('answers', 'visit_id', visitId);
    ctx.conflicts = await loadConflicts(visitId, await getMeta('user'));
    refresh();
  };
  globalThis.addEventListener('tekseru:pulled', onPulled);
  return () => globalThis.removeEventListener('tekseru:pulled', onPulled);
}
