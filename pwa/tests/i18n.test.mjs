// Messages, plural-aware measures and the catalogues' completeness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fill, formatDate, formatMeasure, setCatalogue, useLanguage } from '../js/i18n.js';

const catalogue = (lang) => JSON.parse(readFileSync(new URL(`../i18n/${lang}.json`, import.meta.url), 'utf-8'));
for (const lang of ['ru', 'kk', 'en']) setCatalogue(lang, catalogue(lang));

test('the three catalogues have the same keys', () => {
  const keys = (lang) => Object.keys(catalogue(lang)).filter((k) => !k.startsWith('measure.')).sort();
  assert.deepEqual(keys('kk'), keys('ru'));
  assert.deepEqual(keys('en'), keys('ru'));
});

test('placeholders are filled and unknown ones kept', () => {
  assert.equal(fill('{a} and {b}', { a: 1 }), '1 and {b}');
});

test('durations read naturally in each language', () => {
  const cases = { ru: ['1 час', '3 часа', '5 часов', '45 мин'], kk: ['1 сағат', '3 сағат', '5 сағат', '45 мин'],
    en: ['1 hour', '3 hours', '5 hours', '45 min'] };
  for (const [lang, expected] of Object.entries(cases)) {
    useLanguage(lang);
    assert.deepEqual([60, 180, 300, 45].map((m) => formatMeasure(m, 'min')), expected);
  }
  useLanguage('ru');
  assert.equal(formatMeasure(2.5, 'm2/person'), '2,5 м² на человека');
});

test('Kazakh dates are worded without the browser ICU data', () => {
  useLanguage('kk');
  assert.equal(formatDate(new Date(2026, 10, 25, 9, 5)), '2026 ж. 25 қараша');
  useLanguage('ru');
  assert.equal(formatDate(new Date(2026, 10, 25, 9, 5)), '25 ноября 2026 г.');
});
