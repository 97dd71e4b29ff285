// The REST API through the gateway. The session is the HttpOnly cookie the login sets, so no token is kept in
// JavaScript. Errors are problem+json; they become ApiError with the server's detail.

export class ApiError extends Error {
  constructor(status, problem) {
    const fields = problem && Array.isArray(problem.errors)
      ? problem.errors.map((e) => [e.field, e.message].filter(Boolean).join(': ')).filter(Boolean).join('; ')
      : '';
    const base = (problem && (problem.detail || problem.title)) || `HTTP ${status}`;
    super(fields ? `${base} (${fields})` : base);
    this.status = status;
    this.problem = problem;
  }
}

/** Called once when any call answers 401: the session is gone. */
let onUnauthorized = () => {};
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

export async function request(method, path, body, { allow401 = false } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { detail: 'The server cannot be reached. Check your connection.' });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !allow401) onUnauthorized();
    throw new ApiError(response.status, data);
  }
  return data;
}

export const api = {
  get: (path, options) => request('GET', path, undefined, options),
  post: (path, body, options) => request('POST', path, body ?? {}, options),
  put: (path, body, options) => request('PUT', path, body ?? {}, options),
  patch: (path, body, options) => request('PATCH', path, body, options),
  del: (path, options) => request('DELETE', path, undefined, options),
};

/** Retries a call on 503 and on lost answers (status 0): for idempotent calls such as a send with clientMessageId. */
export async function withRetry(call, attempts = 5) {
  let delay = 500;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (e) {
      const retriable = e instanceof ApiError && (e.status === 0 || e.status === 503 || e.status === 504);
      if (!retriable || attempt >= attempts) throw e;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/** A client message id: a UUID (crypto.randomUUID needs a secure context, so build one when it is missing). */
export function newClientMessageId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
