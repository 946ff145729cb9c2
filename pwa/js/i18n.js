// Russian, Kazakh and English, switchable at any time and remembered on the tablet. Messages
// live in pwa/i18n/{ru,kk,en}.json (the app's own catalogue, precached by the service
// worker); dates and numbers are formatted per locale with Intl.

export const LANGUAGES = ['ru', 'kk', 'en'];
export const LOCALES = { ru: 'ru-RU', kk: 'kk-KZ', en: 'en-GB' };
const STORAGE_KEY = 'tekseru.lang';
const catalogues = {};
let current = 'ru';

/** Fill {name} placeholders of a template. */
export function fill(template, values = {}) {
  return template.replace(/\{([^{}]+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Translate a key in the current language, falling back to Russian, then the key. */
export function t(key, values) {
  const text = catalogues[current]?.[key] ?? catalogues.ru?.[key] ?? key;
  return values ? fill(text, values) : text;
}

/** Pick the current language from a {ru, kk, en} text. */
export function pick(text) {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[current] || text.ru || text.en || '';
}

/** Return the current language. */
export const language = () => current;

/** Provide a catalogue directly (tests) . */
export function setCatalogue(lang, messages) {
  catalogues[lang] = messages;
}

async function loadCatalogue(lang) {
  if (!catalogues[lang]) {
    const response = await fetch(`/app/i18n/${lang}.json`);
    if (!response.ok) throw new Error(`catalogue ${lang}: ${response.status}`);
    catalogues[lang] = await response.json();
  }
}

/** Return the remembered language, else the browser's, else Russian. */
export function preferredLanguage() {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (LANGUAGES.includes(saved)) return saved;
  const browser = (globalThis.navigator?.language || '').slice(0, 2);
  return LANGUAGES.includes(browser) ? browser : 'ru';
}

/** Switch language, remember it and tell the views to render again. */
export async function setLanguage(lang) {
  const next = LANGUAGES.includes(lang) ? lang : 'ru';
  await Promise.all([loadCatalogue('ru'), loadCatalogue(next)]);
  current = next;
  globalThis.localStorage?.setItem(STORAGE_KEY, next);
  if (globalThis.document) {
    document.documentElement.lang = next;
    document.title = t('app.name');
    globalThis.dispatchEvent(new CustomEvent('tekseru:language', { detail: next }));
  }
}

/** Format a number for the current locale. */
export function formatNumber(value, options = {}) {
  if (typeof value !== 'number') return String(value ?? '');
  return new Intl.NumberFormat(LOCALES[current], { maximumFractionDigits: 2, ...options }).format(value);
}

/** Format a measured value with its unit ("45 min", "1 hour", "2,5 м² на человека"). */
export function formatMeasure(value, unit) {
  if (typeof value !== 'number') return String(value ?? '');
  let amount = value;
  let shown = unit;
  if (unit === 'min' && value >= 60 && value % 60 === 0) {
    amount = value / 60;
    shown = 'h';
  }
  const number = formatNumber(amount);
  const category = new Intl.PluralRules(LOCALES[current]).select(amount);
  const own = catalogues[current] || {}; // plural forms differ by language: no fallback here
  const template = own[`measure.${shown}.${category}`] ?? own[`measure.${shown}.other`];
  if (template) return fill(template, { n: number });
  return shown ? `${number} ${t(`unit.${shown}`)}` : number;
}

// Chromium's ICU has no Kazakh month names (it prints "2026 M11 25"): Kazakh dates are
// worded here, in CLDR's order ("2026 ж. 25 қараша").
const KK_MONTHS = ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз',
  'қыркүйек', 'қазан', 'қараша', 'желтоқсан'];
const two = (n) => String(n).padStart(2, '0');

function kazakhDate(date, withTime) {
  const day = `${date.getFullYear()} ж. ${date.getDate()} ${KK_MONTHS[date.getMonth()]}`;
  return withTime ? `${day}, ${two(date.getHours())}:${two(date.getMinutes())}` : day;
}

/** Format a date (ISO string or Date) for the current locale. */
export function formatDate(value, options = { dateStyle: 'long' }) {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  if (current === 'kk') return kazakhDate(date, Boolean(options.timeStyle));
  return new Intl.DateTimeFormat(LOCALES[current], options).format(date);
}

/** Format a moment with date and time. */
export const formatDateTime = (value) => formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });

/** Use a language without loading anything (node tests). */
export function useLanguage(lang) {
  current = lang;
}
