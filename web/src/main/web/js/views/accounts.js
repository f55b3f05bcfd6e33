// Account management for admins: create, change role, enable/disable, reset password, delete.
import { api, session } from "../api.js";
import { confirmDialog } from "../command-form.js";
import { el, errorLine, formatTime, table } from "../dom.js";

const ROLES = ["viewer", "operator", "admin"];

function roleSelect(id, value) {
  return el("select", { id }, ...ROLES.map((r) => el("option", { value: r, selected: r === value }, r)));
}

export async function render(container) {
  const feedback = el("div", { "aria-live": "polite", id: "accounts-feedback" });
  const list = table("Accounts", ["Username", "Role", "State", "Locked until", "Created", "Actions"]);
  list.node.id = "account-table";

  const username = el("input", { id: "acc-username", required: true, maxlength: 64, pattern: "[A-Za-z0-9._@\\-]{1,64}", autocomplete: "off" });
  const password = el("input", { id: "acc-password", type: "password", required: true, minlength: 12, maxlength: 128, autocomplete: "new-password" });
  const role = roleSelect("acc-role", "viewer");
  const create = el("form", { class: "account-form", "aria-labelledby": "acc-new-title" },
    el("h2", { id: "acc-new-title" }, "New account"),
    el("label", { for: "acc-username" }, "Username"), username,
    el("label", { for: "acc-password" }, "Password (12 to 128 characters)"), password,
    el("label", { for: "acc-role" }, "Role"), role,
    el("button", { type: "submit", class: "primary" }, "Create account"));
  create.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(username.value)) {
      feedback.append(errorLine("Username: 1 to 64 letters, digits or . _ @ -"));
      return;
    }
    if (password.value.length < 12 || password.value.length > 128) {
      feedback.append(errorLine("Password: 12 to 128 characters."));
      return;
    }
    try {
      const made = await api.createAccount({ username: username.value, password: password.value, role: role.value });
      feedback.append(el("p", { class: "ok" }, `Account ${made.username} (${made.role}) created.`));
      create.reset();
      await refresh();
    } catch (e) {
      feedback.append(errorLine(`Not created: ${e.message}`));
    }
  });

  container.append(el("h1", {}, "Accounts"), feedback, el("div", { class: "scroll" }, list.node), create);

  const act = (label, call) => async () => {
    feedback.replaceChildren();
    try {
      await call();
      feedback.append(el("p", { class: "ok" }, `${label}: done.`));
      await refresh();
    } catch (e) {
      feedback.append(errorLine(`${label} failed: ${e.message}`));
    }
  };

  async function refresh() {
    const accounts = await api.accounts();
    const me = session.get().username;
    list.body.replaceChildren(...accounts.map((a) => {
      const roleChoice = roleSelect(`role-${a.id}`, a.role);
      roleChoice.setAttribute("aria-label", `Role of ${a.username}`);
      roleChoice.disabled = a.username === me;
      roleChoice.addEventListener("change", act(`Role of ${a.username}`, () => api.changeAccount(a.id, { role: roleChoice.value })));
      const toggle = el("button", { type: "button", disabled: a.username === me }, a.disabled ? "Enable" : "Disable");
      toggle.addEventListener("click", act(`${a.disabled ? "Enable" : "Disable"} ${a.username}`, () => api.changeAccount(a.id, { disabled: !a.disabled })));
      const reset = el("button", { type: "button" }, "Set password");
      reset.addEventListener("click", () => {
        const input = el("input", { type: "password", minlength: 12, maxlength: 128, "aria-label": `New password for ${a.username}`, autocomplete: "new-password" });
        const save = el("button", { type: "submit" }, "Save");
        const inline = el("form", { class: "inline-form" }, input, save);
        inline.addEventListener("submit", (e) => {
          e.preventDefault();
          act(`Password of ${a.username}`, () => api.changeAccount(a.id, { password: input.value }))();
        });
        reset.replaceWith(inline);
        input.focus();
      });
      const remove = el("button", { type: "button", class: "danger", disabled: a.username === me }, "Delete");
      remove.addEventListener("click", async () => {
        if (await confirmDialog(`Delete the account ${a.username}?`, "Delete account")) {
          await act(`Delete ${a.username}`, () => api.deleteAccount(a.id))();
        }
      });
      return el("tr", { "data-account": a.username },
        el("th", { scope: "row" }, a.username), el("td", {}, roleChoice),
        el("td", {}, a.disabled ? "disabled" : "enabled"), el("td", {}, a.lockedUntil ? formatTime(a.lockedUntil) : "—"),
        el("td", {}, formatTime(a.createdAt)), el("td", { class: "actions" }, toggle, reset, remove));
    }));
  }
  await refresh();
}
