// The one wrapper around fetch: every call to the functions goes through call(), and every
// failure becomes an ApiError with the server's error body ({error, code, field}).
const config = window.STAR_CONSOLE_CONFIG || { apiBase: "" };

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `request failed with HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.field = body && body.field;
  }
}

export async function call(method, path, { body, token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(config.apiBase + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = null; }
  }
  // Health answers 503 with a normal body when something is down: callers still want it.
  if (!response.ok && !(path.startsWith("/q/health") && parsed)) throw new ApiError(response.status, parsed);
  return parsed;
}

export const api = {
  readiness: () => call("GET", "/q/health/ready"),
  login: (username, password) => call("POST", "/api/v1/auth/login", { body: { username, password } }),
};
