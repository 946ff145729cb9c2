// Sync status: what waits, the last successful sync, refused ops (set aside), storage, export.
import { all, getMeta } from '../db.js';
import { downloadExport } from '../export.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { IDLE_CHOICES_MIN, idleLimit, setIdleLimit } from '../lock.js';
import * as sync from '../sync.js';
import { h, render } from '../ui.js';

const reasonText = (code) => {
  const key = `reason.${code}`;
  const text = t(key);
  return text === key ? t('reason.unknown', { code }) : text;
};

function phaseText(status) {
  if (sync.signInNeeded || status.phase === 'auth') return t('sync.auth');
  if (status.phase === 'syncing') return t('sync.syncing');
  if (status.phase === 'locked') return t('sync.locked');
  if (!navigator.onLine || status.phase === 'offline') return t('sync.offline');
  if (status.phase === 'error') {
    const seconds = Math.max(0, Math.round(((status.retryAt || Date.now()) - Date.now()) / 1000));
    return t('sync.error', { seconds: formatNumber(seconds) });
  }
  return status.phase === 'synced' ? t('sync.synced') : t('sync.online');
}

function row(label, value, key) {
  return [h('dt', {}, label), h('dd', { dataset: { key } }, value)];
}

/** The lock settings: idle time before the auto-lock, change the PIN. */
async function lockSettings() {
  const current = await idleLimit();
  const minutes = IDLE_CHOICES_MIN.includes(current / 60000) ? IDLE_CHOICES_MIN
    : [...IDLE_CHOICES_MIN, current / 60000].sort((a, b) => a - b);
  const select = h('select', { id: 'lock-after', name: 'lock-after' }, minutes.map((m) => h('option',
    { value: String(m * 60000), selected: m * 60000 === current },
    t('lock.minutes', { count: formatNumber(m, { maximumFractionDigits: 2 }) }))));
  select.addEventListener('change', () => setIdleLimit(Number(select.value)));
  return h('section', { class: 'card', 'aria-labelledby': 'lock-h' },
    h('h2', { id: 'lock-h' }, t('lock.settings')),
    h('div', { class: 'field' }, h('label', { for: 'lock-after' }, t('lock.after')), select),
    h('a', { href: '#/pin', class: 'button', id: 'change-pin' }, t('lock.change_pin')));
}

/** Render the sync status screen into root (it follows the engine while shown). */
export async function statusView(root) {
  const [user, device, storage, rejected] = await Promise.all([getMeta('user'), getMeta('device_id'),
    getMeta('storage'), all('rejected')]);
  const facts = h('dl', { class: 'facts' });
  const clock = h('p', { class: 'notice', role: 'alert', hidden: true });
  const phase = h('p', { class: 'phase', role: 'status' });
  const now = h('button', { type: 'button', class: 'primary' }, t('sync.now'));
  now.addEventListener('click', () => sync.run());
  const exportButton = h('button', { type: 'button' }, t('sync.export'));
  exportButton.addEventListener('click', () => downloadExport());
  const unsubscribe = sync.subscribe((status) => {
    phase.textContent = phaseText(status);
    phase.dataset.phase = status.phase;
    clock.hidden = Math.abs(status.skew) <= sync.SKEW_LIMIT_MS;
    clock.textContent = t('sync.clock_skew', { minutes: formatNumber(Math.round(status.skew / 60000)) });
    render(facts,
      row(t('sync.pending'), formatNumber(status.pending), 'pending'),
      row(t('sync.photos'), formatNumber(status.photos), 'photos'),
      row(t('sync.last'), status.lastSync ? formatDateTime(status.lastSync) : t('sync.never'), 'last'),
      row(t('sync.storage'), t(`sync.storage_${storage || 'unsupported'}`), 'storage'),
      row(t('sync.device'), h('code', {}, device || '—'), 'device'));
  });
  const refused = rejected.length
    ? h('ul', { class: 'rejected' }, rejected.map((op) => h('li', { dataset: { op: op.op_id } },
      h('strong', {}, reasonText(op.reason)), ` — ${op.type} ${op.question_id || ''}`,
      h('span', { class: 'muted' }, ` (${formatDateTime(op.rejected_at)})`))))
    : h('p', {}, t('sync.rejected_none'));
  render(root, h('h1', {}, t('sync.title')),
    user ? h('p', { class: 'muted' }, t('sync.signed_in_as', { user: user.full_name || user.username })) : null,
    h('section', { class: 'card' }, phase, clock, facts, now),
    h('section', { class: 'card', 'aria-labelledby': 'rejected-h' },
      h('h2', { id: 'rejected-h' }, t('sync.rejected')), h('p', { class: 'hint' }, t('sync.rejected_help')), refused),
    await lockSettings(),
    h('section', { class: 'card', 'aria-labelledby': 'export-h' },
      h('h2', { id: 'export-h' }, t('sync.export')), h('p', { class: 'hint' }, t('sync.export_help')), exportButton));
  sync.refreshCounts();
  return unsubscribe;
}
