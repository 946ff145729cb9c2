// Notes and photos of a domain (or of a photo question): appended, shown with their state;
// a photo takes the caption typed before it is picked.
import { all } from '../db.js';
import { formatDateTime, pick, t } from '../i18n.js';
import { recordNote, recordPhoto } from '../outbox.js';
import { photoUrl, preparePhoto } from '../photos.js';
import { afterEdit } from '../sync.js';
import { field, h, render, uid } from '../ui.js';

const urls = new Set();

/** Free the object URLs of photos shown on the last screen. */
export function releasePhotos() {
  for (const url of urls) URL.revokeObjectURL(url);
  urls.clear();
}

/** Notes of a domain: the list and a box to add one. */
export function notesBlock(visitId, domain) {
  const list = h('ul', { class: 'notes' });
  const box = h('textarea', { rows: 3, name: `note-${domain.id}` });
  const add = h('button', { type: 'button' }, t('notes.add'));
  const refresh = async () => {
    const notes = (await all('notes', 'visit_id', visitId)).filter((n) => n.domain === domain.id)
      .sort((a, b) => String(a.created_at || a.hlc).localeCompare(String(b.created_at || b.hlc)));
    render(list, notes.length ? notes.map((n) => h('li', {}, h('p', {}, n.text),
      h('p', { class: 'muted' }, formatDateTime(n.created_at)))) : h('li', { class: 'muted' }, t('notes.none')));
  };
  add.addEventListener('click', async () => {
    const text = box.value.trim();
    if (!text) return;
    await recordNote(visitId, { text, domain: domain.id });
    box.value = '';
    afterEdit();
    await refresh();
  });
  refresh();
  return h('section', { class: 'card notes-block', 'aria-labelledby': `notes-${domain.id}` },
    h('h3', { id: `notes-${domain.id}` }, t('notes.title')), list,
    field(t('notes.label'), box), add);
}

async function thumbnails(list, visitId, filter) {
  const [photos, blobs] = await Promise.all([all('photos', 'visit_id', visitId), all('blobs')]);
  const state = new Map(blobs.map((b) => [b.sha256, b.state]));
  const mine = photos.filter(filter);
  const items = [];
  for (const photo of mine) {
    const url = await photoUrl(photo.sha256);
    if (url) urls.add(url);
    const waiting = state.get(photo.sha256) === 'waiting';
    const caption = typeof photo.caption === 'string' ? photo.caption : ''; // sealed while locked
    items.push(h('li', { class: 'photo', dataset: { sha: photo.sha256 } },
      url ? h('img', { src: url, alt: caption || t('photos.title'), loading: 'lazy' }) : null,
      caption ? h('p', { class: 'caption' }, caption) : null,
      h('span', { class: waiting ? 'badge waiting' : 'badge ok' },
        waiting ? t('photos.waiting') : t('photos.uploaded'))));
  }
  render(list, items);
}

/** A photo picker with thumbnails, for a domain or for one photo question. */
export function photosBlock(visitId, { domain, question = null, title }) {
  const list = h('ul', { class: 'photos' });
  const inputId = uid('photo');
  const picker = h('input', { type: 'file', accept: 'image/*', capture: 'environment', id: inputId,
    class: 'visually-hidden' });
  const caption = h('input', { type: 'text', name: 'caption', maxlength: 1000, autocomplete: 'off' });
  const status = h('p', { class: 'msg', role: 'status' });
  const filter = question ? (p) => p.question_id === question.id
    : (p) => p.domain === domain.id && !p.question_id;
  picker.addEventListener('change', async () => {
    const file = picker.files?.[0];
    if (!file) return;
    status.textContent = t('photos.processing');
    try {
      const photo = await preparePhoto(file);
      await recordPhoto(visitId, { ...photo, domain: domain.id, questionId: question?.id || null,
        caption: caption.value.trim() });
      caption.value = '';
      status.textContent = '';
      afterEdit();
    } catch {
      status.textContent = t('photos.failed');
    }
    picker.value = '';
    await thumbnails(list, visitId, filter);
  });
  thumbnails(list, visitId, filter);
  const headingId = uid('ph');
  return h('section', { class: question ? 'question photo-question' : 'card photos-block',
    'aria-labelledby': headingId, dataset: question ? { question: question.id } : {} },
  h(question ? 'p' : 'h3', { id: headingId, class: question ? 'label' : null },
    title || t('photos.title')),
  question?.hint ? h('p', { class: 'hint' }, pick(question.hint)) : null,
  h('p', { class: 'hint' }, t('photos.consent')),
  list, field(t('photos.caption'), caption, { hint: t('photos.caption_hint') }), picker,
  h('label', { for: inputId, class: 'button' }, t('photos.add')), status);
}
