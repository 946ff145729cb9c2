// The lock screens: unlock with the PIN, "forgot PIN" with the account password (offline too),
// and choosing a PIN (after the first sign-in, after a recovery, or to change it). None of them
// shows visit content; after success the app returns to the screen the hash names.
import { formatNumber, t } from '../i18n.js';
import * as keyring from '../keyring.js';
import { field, h, render } from '../ui.js';

const done = () => globalThis.dispatchEvent(new CustomEvent('tekseru:unlocked'));

const secretInput = (name, autocomplete) => h('input', { name, type: 'password', required: true,
  autocomplete, autocapitalize: 'none', spellcheck: 'false' });

/** The message after a refused PIN or password: tries left, or how long to wait. */
export function refusedText(result, wrongKey) {
  const seconds = Math.ceil(result.waitMs / 1000);
  if (result.waitMs > 0) {
    return `${result.waiting ? '' : `${t(wrongKey)} `}${t('lock.wait', { seconds: formatNumber(seconds) })}`;
  }
  return `${t(wrongKey)} ${t('lock.tries_left', { count: formatNumber(result.freeLeft) })}`;
}

/** Keep the button disabled while the backoff runs. */
function holdFor(button, waitMs) {
  if (waitMs <= 0) return;
  button.disabled = true;
  setTimeout(() => { button.disabled = false; }, waitMs);
}

function secretForm(root, { title, intro, label, name, submit, wrongKey, tryIt, extra }) {
  const input = secretInput(name, 'current-password');
  const message = h('p', { class: 'error', role: 'alert', id: `${name}-error` });
  const button = h('button', { type: 'submit', class: 'primary' }, submit);
  const form = h('form', { class: 'card narrow', novalidate: true, dataset: { form: name } },
    h('p', {}, intro), field(label, input, { required: true }), message, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!input.value) return;
    button.disabled = true;
    message.textContent = t('lock.checking');
    const result = await tryIt(input.value);
    button.disabled = false;
    if (result.ok) {
      input.value = '';
      message.textContent = '';
      done();
      return;
    }
    input.value = '';
    message.textContent = refusedText(result, wrongKey);
    holdFor(button, result.waitMs);
    input.focus();
  });
  return { form, message, button, render: () => render(root, h('h1', {}, title), form, extra) };
}

/** The lock screen: PIN only, no network. */
export async function lockView(root) {
  const forgot = h('a', { href: '#', class: 'button link', id: 'forgot-pin' }, t('lock.forgot'));
  const screen = secretForm(root, {
    title: t('lock.title'), intro: t('lock.intro'), label: t('lock.pin'), name: 'pin',
    submit: t('lock.unlock'), wrongKey: 'lock.wrong_pin', tryIt: (pin) => keyring.unlock(pin),
    extra: h('p', {}, forgot),
  });
  forgot.addEventListener('click', (event) => {
    event.preventDefault();
    passwordView(root);
  });
  screen.render();
  const state = await keyring.failures();
  if (state.waitMs > 0) {
    screen.message.textContent = refusedText({ ...state, waiting: true }, 'lock.wrong_pin');
    holdFor(screen.button, state.waitMs);
  }
}

/** "Forgot PIN": unlock with the account password, then choose a new PIN. */
export async function passwordView(root) {
  const screen = secretForm(root, {
    title: t('lock.recover_title'), intro: t('lock.recover_intro'), label: t('login.password'),
    name: 'password', submit: t('lock.unlock'), wrongKey: 'lock.wrong_password',
    tryIt: (password) => keyring.unlockWithPassword(password),
  });
  screen.render();
  root.closest('main')?.setAttribute('data-view', 'passwordView');
}

/**
 * Choose a PIN, twice; an install from before encryption also gives the password once. A PIN
 * being changed (not a first one, not after "forgot PIN") needs the current one first, so a
 * tablet left unlocked cannot be re-keyed by whoever picks it up.
 */
export async function pinSetupView(root) {
  const askPassword = !(await keyring.hasPasswordWrap());
  const current = (await keyring.gate()) === 'open' ? secretInput('current-pin', 'current-password') : null;
  const pin = secretInput('new-pin', 'new-password');
  const again = secretInput('new-pin-again', 'new-password');
  const password = askPassword ? secretInput('password', 'current-password') : null;
  const message = h('p', { class: 'error', role: 'alert', id: 'pin-error' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('lock.set'));
  const form = h('form', { class: 'card narrow', novalidate: true, dataset: { form: 'set-pin' } },
    h('p', {}, t('lock.set_intro')),
    current ? field(t('lock.current_pin'), current, { required: true }) : null,
    field(t('lock.new_pin'), pin, { required: true, hint: t('lock.pin_rule') }),
    field(t('lock.new_pin_again'), again, { required: true }),
    password ? field(t('login.password'), password, { required: true, hint: t('lock.password_why') }) : null,
    message, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problem = keyring.pinProblem(pin.value)
      || (pin.value !== again.value ? 'lock.pin_mismatch' : null)
      || (password && !password.value ? 'lock.password_needed' : null);
    if (problem) {
      message.textContent = t(problem);
      (problem === 'lock.pin_mismatch' ? again : pin).focus();
      return;
    }
    button.disabled = true;
    message.textContent = t('lock.checking');
    if (current) {
      const check = await keyring.verifyPin(current.value);
      if (!check.ok) {
        current.value = '';
        message.textContent = refusedText(check, 'lock.wrong_pin');
        button.disabled = false;
        holdFor(button, check.waitMs);
        current.focus();
        return;
      }
    }
    try {
      await keyring.setPin(pin.value, { password: password?.value || null });
    } catch (error) {
      message.textContent = t(error.code?.startsWith('lock.') ? error.code : 'lock.failed');
      button.disabled = false;
      return;
    }
    for (const input of [current, pin, again, password]) if (input) input.value = '';
    done();
  });
  render(root, h('h1', {}, t('lock.set_title')), form);
}
