// Facilities of the inspector's commission, their last score, and the visits on this tablet.
import { all } from '../db.js';
import { formatDate, formatNumber, pick, t } from '../i18n.js';
import { loadReference } from '../session.js';
import { h, render } from '../ui.js';

const nameOf = (facility) => pick({ ru: facility.name_ru, kk: facility.name_kk, en: facility.name_en });

function scoreOf(facility) {
  const score = facility.last_score ?? facility.score ?? null;
  const value = typeof score === 'object' && score !== null ? score.score : score;
  return typeof value === 'number'
    ? h('span', { class: 'score' }, formatNumber(value, { maximumFractionDigits: 0 }))
    : h('span', { class: 'muted' }, t('facilities.no_score'));
}

function card(facility, visits) {
  const mine = visits.filter((v) => v.facility_id === facility.id)
    .sort((a, b) => String(b.started_at).localeCompare(String(a.started_at)));
  return h('li', { class: 'card facility' },
    h('h2', {}, nameOf(facility)),
    h('p', { class: 'muted' }, t(`kind.${facility.kind}`)),
    h('p', {}, `${t('facilities.last_score')}: `, scoreOf(facility)),
    h('div', { class: 'actions' },
      mine.map((v) => h('a', { class: 'button', href: `#/visit/${v.id}` },
        t('facilities.continue', { date: formatDate(v.started_at) }))),
      h('a', { class: 'button primary', href: `#/start/${facility.id}` }, t('facilities.start_visit'))));
}

/** Render the facility list into root. */
export async function facilitiesView(root) {
  const [ref, visits] = await Promise.all([loadReference(), all('visits')]);
  const list = ref.facilities;
  render(root, h('h1', {}, t('facilities.title')),
    list === null ? h('p', { class: 'notice' }, t('facilities.unavailable')) : null,
    list && list.length === 0 ? h('p', {}, t('facilities.none')) : null,
    list ? h('ul', { class: 'cards' }, list.map((f) => card(f, visits))) : null);
}
