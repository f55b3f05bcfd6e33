// One form for every seed command: pick the command, fill its fields (checked before sending),
// confirm the dangerous ones in a dialog, send. Used on a box's page and for group/broadcast.
import { api } from "./api.js";
import { COMMANDS, commandByType, validate } from "./commands-catalog.js";
import { el, errorLine } from "./dom.js";

let formCount = 0;

/** A modal confirmation (no window.confirm): resolves true when the operator confirms. */
export function confirmDialog(message, confirmLabel) {
  return new Promise((resolve) => {
    const yes = el("button", { type: "button", class: "danger", id: "confirm-yes" }, confirmLabel);
    const no = el("button", { type: "button", id: "confirm-no" }, "Cancel");
    const dialog = el("dialog", { class: "confirm", "aria-labelledby": "confirm-text" },
      el("p", { id: "confirm-text" }, message), el("div", { class: "actions" }, no, yes));
    const close = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    yes.addEventListener("click", () => close(true));
    no.addEventListener("click", () => close(false));
    dialog.addEventListener("cancel", (e) => { e.preventDefault(); close(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/**
 * options.target: () => {box} | {group} | {all: true} (or throws an Error with a message);
 * options.describeTarget: () => text for the confirmation; options.onSent(command).
 */
export function commandForm(options) {
  const prefix = `cmd${++formCount}`;
  const type = el("select", { id: `${prefix}-type`, name: "type" },
    ...COMMANDS.map((c) => el("option", { value: c.type }, `${c.code} ${c.type} — ${c.title}`)));
  const priority = el("select", { id: `${prefix}-priority`, name: "priority" },
    el("option", { value: "normal" }, "normal"), el("option", { value: "high" }, "high (served first)"));
  const fieldset = el("div", { class: "command-fields" });
  const feedback = el("div", { "aria-live": "polite", class: "command-feedback" });
  const submit = el("button", { type: "submit", class: "primary" }, "Send command");
  const extra = options.extraFields ? options.extraFields(prefix) : [];
  const form = el("form", { class: "command-form", novalidate: true, "aria-label": options.label || "Send a command" },
    el("label", { for: `${prefix}-type` }, "Command"), type,
    fieldset,
    el("label", { for: `${prefix}-priority` }, "Priority"), priority,
    extra, submit, feedback);

  const inputs = {};
  function showFields() {
    const command = commandByType(type.value);
    fieldset.replaceChildren();
    for (const key of Object.keys(inputs)) delete inputs[key];
    for (const field of command.fields) {
      const id = `${prefix}-${field.name}`;
      if (field.fixed) {
        fieldset.append(el("p", { class: "hint" }, `Sent with the argument "${field.fixed}".`));
        continue;
      }
      const input = el("input", {
        id, name: field.name, type: field.secret ? "password" : "text", autocomplete: "off", required: true,
        "aria-describedby": `${id}-hint`, maxlength: 512, "data-field": field.name,
      });
      inputs[field.name] = input;
      fieldset.append(el("label", { for: id }, field.label), input,
        el("small", { id: `${id}-hint`, class: "hint" }, field.hint || ""));
    }
  }
  type.addEventListener("change", () => { feedback.replaceChildren(); showFields(); });
  showFields();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    const command = commandByType(type.value);
    const values = {};
    for (const [name, input] of Object.entries(inputs)) {
      values[name] = input.type === "password" ? input.value : input.value.trim();
      input.removeAttribute("aria-invalid");
    }
    const errors = validate(command, values);
    const names = Object.keys(errors);
    if (names.length) {
      for (const name of names) inputs[name].setAttribute("aria-invalid", "true");
      feedback.append(errorLine(Object.values(errors).join(". ")));
      inputs[names[0]].focus();
      return;
    }
    let target;
    try {
      target = options.target();
    } catch (e) {
      feedback.append(errorLine(e.message));
      return;
    }
    const where = options.describeTarget ? await options.describeTarget() : "";
    if (command.confirm || !target.box) {
      const text = command.confirm ? `${command.confirm} ${where}` : `Send ${command.type} ${where}?`;
      if (!(await confirmDialog(text.trim(), `Send ${command.title.toLowerCase()}`))) return;
    }
    submit.disabled = true;
    try {
      const sent = await api.sendCommand({
        type: command.type,
        target,
        arguments: command.toArguments(values),
        priority: priority.value,
        ...(options.body ? options.body(prefix) : {}),
      });
      for (const input of Object.values(inputs)) input.value = "";
      feedback.append(el("p", { class: "ok", role: "status" }, `Command ${sent.id} (${sent.type}) queued. `,
        el("a", { href: `#/commands/${sent.id}` }, "Follow its deliveries")));
      if (options.onSent) options.onSent(sent);
    } catch (e) {
      const field = e.field === "arguments" ? Object.values(inputs)[0] : null;
      if (field) field.setAttribute("aria-invalid", "true");
      feedback.append(errorLine(e.status === 403 ? "Your role cannot send commands." : `Not sent: ${e.message}`));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
