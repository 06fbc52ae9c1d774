// The cloud API as the app uses it: the session token kept in localStorage, JSON in and out, and errors
// carrying the cloud's { error, message } so screens can show the message as it is.

const TOKEN = 'walkout.session';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  get token() {
    return localStorage.getItem(TOKEN);
  },
  set(token) {
    localStorage.setItem(TOKEN, token);
  },
  clear() {
    localStorage.removeItem(TOKEN);
  },
};

export async function api(method, path, body) {
  const headers = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401 && path.startsWith('/v1/me')) session.clear();
    throw new ApiError(response.status, data.error ?? 'error', data.message ?? `HTTP ${response.status}`);
  }
  return data;
}
