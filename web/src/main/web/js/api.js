// The one wrapper around fetch: every call to the functions goes through call(), and every
// failure becomes an ApiError with the server's error body ({error, code, field}). The token lives
// in sessionStorage (gone with the tab); a 401 on any call but login ends the session.
const config = window.STAR_CONSOLE_CONFIG || { apiBase: "" };
const SESSION_KEY = "star-console.session";

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `request failed with HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.field = body && body.field;
  }
}

let onUnauthorized = () => {};

export const session = {
  get() {
    try { return JSON.parse(sessionStorage.getItem(SESSION_KEY)); } catch { return null; }
  },
  set(value) { sessionStorage.setItem(SESSION_KEY, JSON.stringify(value)); },
  clear() { sessionStorage.removeItem(SESSION_KEY); },
  /** Called when the API says the token is no longer valid. */
  onUnauthorized(handler) { onUnauthorized = handler; },
};

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export async function call(method, path, { body, params, anonymous } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const current = session.get();
  if (current && !anonymous) headers.Authorization = `Bearer ${current.token}`;
  let response;
  try {
    response = await fetch(config.apiBase + path + query(params), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { error: "the console does not answer; check the connection", code: "network" });
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = null; }
  }
  if (response.status === 401 && !anonymous) {
    session.clear();
    onUnauthorized();
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

const id = (value) => encodeURIComponent(value);

export const api = {
  login: (username, password) => call("POST", "/api/v1/auth/login", { body: { username, password }, anonymous: true }),
  logout: () => call("POST", "/api/v1/auth/logout"),
  me: () => call("GET", "/api/v1/auth/me"),
  changeOwnPassword: (current, next) => call("POST", "/api/v1/auth/password", { body: { current, new: next } }),

  fleetSummary: () => call("GET", "/api/v1/fleet/summary"),

  boxes: (params) => call("GET", "/api/v1/boxes", { params }),
  box: (boxId) => call("GET", `/api/v1/boxes/${id(boxId)}`),
  boxHistory: (boxId, params) => call("GET", `/api/v1/boxes/${id(boxId)}/history`, { params }),
  boxCommands: (boxId, params) => call("GET", `/api/v1/boxes/${id(boxId)}/commands`, { params }),
  approveBox: (boxId) => call("POST", `/api/v1/boxes/${id(boxId)}/approve`),
  rejectBox: (boxId) => call("POST", `/api/v1/boxes/${id(boxId)}/reject`),
  releaseAddress: (boxId) => call("DELETE", `/api/v1/boxes/${id(boxId)}/address`),

  commands: (params) => call("GET", "/api/v1/commands", { params }),
  command: (commandId) => call("GET", `/api/v1/commands/${id(commandId)}`),
  deliveries: (commandId, params) => call("GET", `/api/v1/commands/${id(commandId)}/deliveries`, { params }),
  sendCommand: (command) => call("POST", "/api/v1/commands", { body: command }),
  cancelCommand: (commandId) => call("POST", `/api/v1/commands/${id(commandId)}/cancel`),
  previewTarget: (params) => call("GET", "/api/v1/commands/preview", { params }),

  releases: (params) => call("GET", "/api/v1/releases", { params }),
  release: (releaseId) => call("GET", `/api/v1/releases/${id(releaseId)}`),
  withdrawRelease: (releaseId) => call("POST", `/api/v1/releases/${id(releaseId)}/withdraw`),

  rollouts: (params) => call("GET", "/api/v1/rollouts", { params }),
  rollout: (rolloutId) => call("GET", `/api/v1/rollouts/${id(rolloutId)}`),
  rolloutBoxes: (rolloutId, params) => call("GET", `/api/v1/rollouts/${id(rolloutId)}/boxes`, { params }),
  startRollout: (rollout) => call("POST", "/api/v1/rollouts", { body: rollout }),
  haltRollout: (rolloutId) => call("POST", `/api/v1/rollouts/${id(rolloutId)}/halt`),
  resumeRollout: (rolloutId) => call("POST", `/api/v1/rollouts/${id(rolloutId)}/resume`),

  accounts: () => call("GET", "/api/v1/admins"),
  createAccount: (account) => call("POST", "/api/v1/admins", { body: account }),
  changeAccount: (accountId, change) => call("PATCH", `/api/v1/admins/${id(accountId)}`, { body: change }),
  deleteAccount: (accountId) => call("DELETE", `/api/v1/admins/${id(accountId)}`),
};
