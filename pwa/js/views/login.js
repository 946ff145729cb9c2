// Sign-in screen: once online; again (same user) when the server answered 401 to a sync.
import { ApiError, NetworkError } from '../api.js';
import { getMeta } from '../db.js';
import { t } from '../i18n.js';
import { signIn } from '../session.js';
import * as sync from '../sync.js';
import { field, h, render } from '../ui.js';

function errorText(error) {
  if (error.code === 'other_user') return t('login.other_user', { user: error.user });
  if (error instanceof NetworkError || !navigator.onLine) return t('login.offline');
  if (error instanceof ApiError && error.status === 401) return t('login.invalid');
  if (error instanceof ApiError && error.status === 429) return t('login.rate_limited');
  return t('login.failed', { code: error.code || error.message });
}

/** Render the sign-in form into root. */
export async function loginView(root) {
  const again = sync.signInNeeded;
  const known = await getMeta('user');
  const username = h('input', { name: 'username', autocomplete: 'username', required: true,
    autocapitalize: 'none', spellcheck: 'false', value: known?.username || '' });
  const password = h('input', { name: 'password', type: 'password', required: true,
    autocomplete: 'current-password' });
  const message = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = h('form', { class: 'card narrow', novalidate: true },
    again ? h('p', { class: 'notice' }, t('login.again')) : null,
    field(t('login.username'), username, { required: true }),
    field(t('login.password'), password, { required: true }),
    message, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    button.disabled = true;
    try {
      await signIn(username.value.trim(), password.value);
      password.value = '';
      document.getElementById('banner')?.replaceChildren();
      location.hash = '#/';
      sync.resume();
    } catch (error) {
      message.textContent = errorText(error);
      password.focus();
    } finally {
      button.disabled = false;
    }
  });
  render(root, h('h1', {}, t('login.title')),
    navigator.onLine ? null : h('p', { class: 'notice' }, t('login.offline')), form);
}
