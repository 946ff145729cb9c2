// Facilities of the inspector's commission, their last score, and the visits on this tablet.
import { all, getMeta } from '../db.js';
import { formatDate, formatNumber, pick, t } from '../i18n.js';
import { loadReference } from '../session.js';
import { h, render } from '../ui.js';

const nameOf = (facility) => pick({ ru: facility.name_ru, kk: facility.name_kk, en: facility.name_en });

/** The facility score of its latest scored visit, as the list sends it (kept offline with it). */
function scoreLine(facility) {
  const last = facility.last_score;
  return typeof last?.value === 'number'
    ? h('span', { class: 'score' }, formatNumber(last.value, { maximumFractionDigits: 0 }),
      h('span', { class: 'muted' }, ` (${formatDate(last.started_at)})`))
    : h('span', { class: 'muted' }, t('facilities.no_score'));
}

function card(facility, visits) {
  const mine = visits.filter((v) => v.facility_id === facility.id)
    .sort((a, b) => String(b.started_at).localeCompare(String(a.started_at)));
  return h('li', { class: 'card facility', dataset: { facility: facility.id } },
    h('h2', {}, nameOf(facility)),
    h('p', { class: 'muted' }, t(`kind.${facility.kind}`)),
    h('p', {}, `${t('facilities.last_score')}: `, scoreLine(facility)),
    h('div', { class: 'actions' },
      mine.map((v) => h('a', { class: 'button', href: `#/visit/${v.id}` },
        t('facilities.continue', { date: formatDate(v.started_at) }))),
      h('a', { class: 'button primary', href: `#/start/${facility.id}` }, t('facilities.start_visit'))));
}

/** Render the facility list into root. */
export async function facilitiesView(root) {
  const [ref, visits, storage] = await Promise.all([loadReference(), all('visits'), getMeta('storage')]);
  const list = ref.facilities;
  render(root, h('h1', {}, t('facilities.title')),
    storage === 'refused' ? h('p', { class: 'notice' }, `${t('sync.storage')}: ${t('sync.storage_refused')}`) : null,
    list === null ? h('p', { class: 'notice' }, t('facilities.unavailable')) : null,
    list && list.length === 0 ? h('p', {}, t('facilities.none')) : null,
    list ? h('ul', { class: 'cards' }, list.map((f) => card(f, visits))) : null);
}
