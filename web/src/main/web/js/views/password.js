// Change your own password.
import { api } from "../api.js";
import { el, errorLine } from "../dom.js";

export function render(container) {
  const current = el("input", { id: "pw-current", type: "password", required: true, autocomplete: "current-password" });
  const next = el("input", { id: "pw-new", type: "password", required: true, minlength: 12, maxlength: 128, autocomplete: "new-password" });
  const again = el("input", { id: "pw-again", type: "password", required: true, autocomplete: "new-password" });
  const feedback = el("div", { "aria-live": "polite" });
  const form = el("form", { class: "account-form", "aria-labelledby": "pw-title" },
    el("h1", { id: "pw-title" }, "Change your password"),
    el("label", { for: "pw-current" }, "Current password"), current,
    el("label", { for: "pw-new" }, "New password (12 to 128 characters)"), next,
    el("label", { for: "pw-again" }, "New password again"), again,
    el("button", { type: "submit", class: "primary" }, "Change password"), feedback);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    if (next.value.length < 12 || next.value.length > 128) return feedback.append(errorLine("The new password must be 12 to 128 characters."));
    if (next.value !== again.value) return feedback.append(errorLine("The two new passwords differ."));
    try {
      await api.changeOwnPassword(current.value, next.value);
      form.reset();
      feedback.append(el("p", { class: "ok" }, "Password changed. Your other sessions were logged out."));
    } catch (e) {
      feedback.append(errorLine(e.code === "wrong_password" ? "The current password is wrong." : `Not changed: ${e.message}`));
    }
  });
  container.append(form);
}
