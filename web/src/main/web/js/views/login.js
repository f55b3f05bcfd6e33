// The seed's first screen: username and password. A wrong password, a locked account and a
// throttled address each get their own clear message.
import { api, session } from "../api.js";
import { el, errorLine } from "../dom.js";

function message(error) {
  switch (error.code) {
    case "invalid_credentials": return "Wrong username or password.";
    case "locked": return `This account is locked for a while after repeated failed logins. ${error.message}`;
    case "throttled": return `Too many failed logins from your address. ${error.message}`;
    default: return `Login failed: ${error.message}`;
  }
}

export function render(container) {
  if (session.get()) {
    location.replace("#/overview");
    return;
  }
  const username = el("input", { id: "login-username", name: "username", autocomplete: "username", required: true, maxlength: 64 });
  const password = el("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true, maxlength: 256 });
  const submit = el("button", { type: "submit", id: "login-submit" }, "Log in");
  const feedback = el("div", { id: "login-error", "aria-live": "assertive" });
  const form = el("form", { class: "login", "aria-labelledby": "login-title" },
    el("h1", { id: "login-title" }, "Log in to Star Console"),
    el("p", {}, "Control plane for the SPNBox fleet."),
    el("label", { for: "login-username" }, "Username"), username,
    el("label", { for: "login-password" }, "Password"), password,
    submit, feedback);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    feedback.replaceChildren();
    try {
      const result = await api.login(username.value.trim(), password.value);
      session.set({ token: result.token, expiresAt: result.expiresAt, username: result.username, role: result.role });
      const next = sessionStorage.getItem("star-console.after-login");
      sessionStorage.removeItem("star-console.after-login");
      location.hash = next && next !== "#/login" ? next : "#/overview";
    } catch (e) {
      feedback.replaceChildren(errorLine(message(e)));
      password.value = "";
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  container.append(form);
  username.focus();
}
