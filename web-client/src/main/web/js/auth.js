// Logged out: the login and registration forms; and the way back to them (log out, or a session that ended).
import { api, setUnauthorizedHandler } from './api.js';
import { byId } from './dom.js';
import { session, startApp, stopApp } from './session.js';

/** The login and registration forms, in place of the app. */
export function showAuth() {
  byId('app-view').hidden = true;
  byId('auth-view').hidden = false;
  byId('login-handle').focus();
}

/** Logs in (the session cookie is set by the answer), then starts the app as that user. */
async function login(handle, password) {
  await api.post('/api/sessions', { handle, password }, { allow401: true });
  const me = await api.get('/api/sessions/me', { allow401: true });
  startApp(me.user);
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

/** Registration fields: the input, the rule a browser check shows, and the field name the server's errors use. */
const REGISTER_FIELDS = {
  handle: { input: 'register-handle', hint: 'register-handle-hint', rule: 'Use 3-32 characters: a-z, 0-9, _ . -' },
  displayName: { input: 'register-display', rule: 'Use at most 64 characters.' },
  password: { input: 'register-password', hint: 'register-password-hint', rule: 'Use 8-72 characters.' },
  status: { input: 'register-status', rule: 'Use at most 100 characters.' },
};

/** Marks one field wrong (message) or right (null): aria-invalid, and its message named by aria-describedby. */
function fieldError(field, message) {
  const { input: inputId, hint } = REGISTER_FIELDS[field];
  const input = byId(inputId);
  const error = byId(`${inputId}-error`);
  error.textContent = message || '';
  error.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  input.setAttribute('aria-describedby', [message ? error.id : null, hint].filter(Boolean).join(' '));
  if (!input.getAttribute('aria-describedby')) input.removeAttribute('aria-describedby');
}

/** Binds the login and registration forms, the logout button, and what a 401 from any call does. */
export function bindAuth() {
  byId('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const error = byId('login-error');
    error.textContent = '';
    const { handle, password } = formValues(e.target);
    if (!handle || !password) {
      error.textContent = 'Enter your username and password.';
      return;
    }
    try {
      await login(handle.trim(), password);
      e.target.reset();
    } catch (err) {
      error.textContent = err.status === 401 ? 'Wrong username or password.' : err.message;
    }
  });

  byId('register-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const error = byId('register-error');
    error.textContent = '';
    const form = e.target;
    let firstWrong = null;
    for (const [field, { input, rule }] of Object.entries(REGISTER_FIELDS)) {
      const element = byId(input);
      const wrong = !element.checkValidity();
      fieldError(field, wrong ? (element.validity.valueMissing ? 'Required. ' : '') + rule : null);
      if (wrong && !firstWrong) firstWrong = element;
    }
    if (firstWrong) {
      firstWrong.focus();
      return;
    }
    const { handle, password, displayName: name, status } = formValues(form);
    try {
      await api.post('/api/users', {
        handle: handle.trim(), password, displayName: name.trim() || undefined, status: status.trim() || undefined,
      });
      await login(handle.trim(), password);
      form.reset();
    } catch (err) {
      const named = err.problem && Array.isArray(err.problem.errors)
        ? err.problem.errors.filter((x) => REGISTER_FIELDS[x.field]) : [];
      if (err.status === 409) {
        fieldError('handle', 'That username is taken.');
        byId('register-handle').focus();
      } else if (named.length > 0) {
        for (const x of named) fieldError(x.field, x.message);
        byId(REGISTER_FIELDS[named[0].field].input).focus();
      } else {
        error.textContent = err.message;
      }
    }
  });

  for (const field of Object.keys(REGISTER_FIELDS)) {
    // a corrected field stops being marked as soon as it is valid
    byId(REGISTER_FIELDS[field].input).addEventListener('input', (e) => {
      if (e.target.getAttribute('aria-invalid') === 'true' && e.target.checkValidity()) fieldError(field, null);
    });
  }

  setUnauthorizedHandler(() => {
    if (session) {
      stopApp();
      showAuth();
      byId('login-error').textContent = 'Your session ended: log in again.';
    }
  });

  byId('logout').addEventListener('click', async () => {
    try {
      await api.del('/api/sessions/current', { allow401: true });
    } catch {
      // logged out already or server away: the page forgets the session either way
    }
    stopApp();
    showAuth();
  });
}
