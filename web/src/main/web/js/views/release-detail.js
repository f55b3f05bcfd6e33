// One release: its fields, its rollouts, and (for operators, while it is published) a form that
// starts a rollout to a box, a group or all boxes, with the preview of how many boxes that reaches.
import { api } from "../api.js";
import { confirmDialog } from "../command-form.js";
import { el, errorLine, fields, formatTime, setText, table } from "../dom.js";
import { formatBytes, parseWaves, rolloutCountsText, targetText, waveText, withdrawRelease } from "../ota.js";

function rolloutForm(release) {
  const kind = el("select", { id: "ro-kind" },
    el("option", { value: "group" }, "a group"), el("option", { value: "box" }, "one box"), el("option", { value: "all" }, "all boxes"));
  const value = el("input", { id: "ro-value", maxlength: 128, autocomplete: "off", "aria-describedby": "ro-value-hint" });
  const valueLabel = el("label", { for: "ro-value" }, "Group");
  const valueHint = el("small", { id: "ro-value-hint", class: "hint" }, "");
  const preview = el("p", { id: "ro-preview", role: "status" }, "Choose a target to see how many boxes it reaches.");
  const waves = el("input", { id: "ro-waves", value: "100", autocomplete: "off", "aria-describedby": "ro-waves-hint" });
  const threshold = el("input", { id: "ro-threshold", type: "number", min: 0, max: 100, step: 1, value: "10", "aria-describedby": "ro-threshold-hint" });
  const late = el("input", { id: "ro-late", type: "checkbox" });
  const force = el("input", { id: "ro-force", type: "checkbox", "aria-describedby": "ro-force-warning" });
  const forceWarning = el("p", { id: "ro-force-warning", class: "error", hidden: true },
    "Forced: boxes on a newer version are downgraded to this one.");
  const feedback = el("div", { "aria-live": "polite", id: "ro-feedback" });
  const submit = el("button", { type: "submit", class: "primary", id: "ro-submit" }, "Start rollout");

  const targetOf = () => {
    if (kind.value === "all") return { all: true };
    const text = value.value.trim();
    if (!text) throw new Error(kind.value === "box" ? "Name the box (its id, public key or SPN IP)." : "Name the group.");
    return kind.value === "box" ? { box: text } : { group: text };
  };
  let asked = 0;
  let reach = null;
  const updatePreview = async () => {
    const mine = ++asked;
    reach = null;
    value.disabled = kind.value === "all";
    late.disabled = kind.value === "box";
    if (late.disabled) late.checked = false;
    setText(valueLabel, kind.value === "box" ? "Box" : "Group");
    setText(valueHint, kind.value === "box" ? "The box's id, public key or SPN IP." : kind.value === "group" ? "The group's name." : "");
    let target;
    try { target = targetOf(); } catch (e) { setText(preview, e.message); return; }
    try {
      const result = await api.previewTarget(target);
      if (mine !== asked) return;
      reach = result.boxes;
      setText(preview, `This reaches ${result.boxes} box${result.boxes === 1 ? "" : "es"} now.`);
    } catch (e) {
      if (mine === asked) setText(preview, `Preview unavailable: ${e.message}`);
    }
  };
  kind.addEventListener("change", updatePreview);
  value.addEventListener("input", updatePreview);
  force.addEventListener("change", () => { forceWarning.hidden = !force.checked; });

  const form = el("form", { class: "command-form rollout-form", id: "rollout-form", novalidate: true, "aria-label": "Start a rollout" },
    el("fieldset", { class: "target" }, el("legend", {}, "Target"),
      el("label", { for: "ro-kind" }, "Roll out to"), kind, valueLabel, value, valueHint, preview),
    el("label", { for: "ro-waves" }, "Waves (percent of the target's boxes)"), waves,
    el("small", { id: "ro-waves-hint", class: "hint" }, "A comma list, ascending, ending in 100, e.g. 10, 50, 100."),
    el("label", { for: "ro-threshold" }, "Failure threshold (%)"), threshold,
    el("small", { id: "ro-threshold-hint", class: "hint" }, "The rollout halts itself when more of its boxes so far fail."),
    el("label", { class: "inline" }, late, " Include boxes that join the target later"),
    el("label", { class: "inline" }, force, " Force (allow a downgrade)"), forceWarning,
    submit, feedback);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    for (const input of [value, waves, threshold]) input.removeAttribute("aria-invalid");
    const fail = (input, message) => {
      if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
      feedback.append(errorLine(message));
    };
    let target;
    try { target = targetOf(); } catch (e) { fail(value, e.message); return; }
    let waveList;
    try { waveList = parseWaves(waves.value); } catch (e) { fail(waves, e.message); return; }
    const thresholdText = threshold.value.trim();
    if (!/^\d{1,3}$/.test(thresholdText) || Number(thresholdText) > 100) {
      fail(threshold, "The failure threshold is a whole percent from 0 to 100.");
      return;
    }
    const where = target.all ? "all boxes" : targetText({ kind: target.box ? "box" : "group", value: target.box || target.group });
    const count = reach === null ? "" : ` (${reach} box${reach === 1 ? "" : "es"} now)`;
    const question = `Roll out ${release.model} ${release.version} to ${where}${count} in waves of ${waveList.join(", ")} %?`
      + (force.checked ? " Forced: boxes on a newer version are downgraded." : "");
    if (!(await confirmDialog(question, "Start rollout"))) return;
    submit.disabled = true;
    try {
      const started = await api.startRollout({
        releaseId: release.id, target, waves: waveList, failureThresholdPercent: Number(thresholdText),
        includeLateJoiners: late.checked, force: force.checked,
      });
      location.hash = `#/rollouts/${started.id}`;
    } catch (e) {
      if (e.field === "waves") waves.setAttribute("aria-invalid", "true");
      const text = e.code === "no_boxes" ? "The target has no accepted boxes." : e.status === 403
        ? "Your role cannot start rollouts." : `Not started: ${e.message}`;
      feedback.append(errorLine(text));
    } finally {
      submit.disabled = false;
    }
  });
  updatePreview();
  return form;
}

export async function render(container, [releaseId], context) {
  const title = el("h1", { id: "release-title" }, `Release ${releaseId}`);
  const summary = el("div", { id: "release-record" });
  const feedback = el("div", { "aria-live": "polite" });
  const withdraw = el("button", { type: "button", class: "danger", id: "release-withdraw", hidden: true }, "Withdraw release");
  const formHolder = el("section", { "aria-labelledby": "ro-title" });
  const list = table("Rollouts of this release (updated live)", ["Id", "Target", "State", "Wave", "Boxes", "By", "Created"]);
  list.node.id = "release-rollouts";
  container.append(el("p", { class: "crumbs" }, el("a", { href: "#/releases" }, "← All releases")),
    title, summary, withdraw, feedback, formHolder,
    el("h2", {}, "Rollouts"), el("div", { class: "scroll" }, list.node));

  let current = null;
  withdraw.addEventListener("click", async () => {
    feedback.replaceChildren();
    try {
      if (await withdrawRelease(current)) {
        feedback.replaceChildren(el("p", { class: "ok" }, "Withdrawn."));
        await refresh();
      }
    } catch (e) {
      feedback.replaceChildren(errorLine(`Not withdrawn: ${e.message}`));
    }
  });

  async function refresh() {
    const [release, rollouts] = await Promise.all([api.release(releaseId), api.rollouts({ releaseId, size: 50 })]);
    if (!context.isCurrent()) return;
    current = release;
    setText(title, `Release ${release.model} ${release.version}`);
    summary.replaceChildren(fields([
      ["Id", String(release.id)],
      ["Model", release.model],
      ["Version", release.version],
      ["State", el("span", { class: `state ${release.state}`, id: "release-state" }, release.state)],
      ["Size", `${formatBytes(release.plainSize)} (${release.plainSize} bytes)`],
      ["Encrypted size", `${formatBytes(release.encryptedSize)} (${release.encryptedSize} bytes)`],
      ["Compatible models", (release.compatibleModels || []).join(", ")],
      ["Signature keys", el("span", { class: "mono" }, (release.signatureKeyIds || []).join(", "))],
      ["SHA-512 (plain)", el("span", { class: "mono wrap" }, release.plainSha512)],
      ["SHA-512 (encrypted)", el("span", { class: "mono wrap" }, release.encryptedSha512)],
      ["Image", el("span", { class: "mono" }, release.imageKey)],
      ["Manifest", el("span", { class: "mono" }, release.manifestKey)],
      ["Created", `${formatTime(release.createdAt)} by ${release.createdBy}`],
      ["Withdrawn", release.withdrawnAt ? `${formatTime(release.withdrawnAt)} by ${release.withdrawnBy}` : null],
    ].filter(([, value]) => value !== null)));
    const operator = context.can("operator");
    withdraw.hidden = !operator || release.state !== "published";
    if (operator && release.state === "published" && !formHolder.firstChild) {
      formHolder.append(el("h2", { id: "ro-title" }, "Start a rollout"), rolloutForm(release));
    } else if (release.state !== "published") {
      formHolder.replaceChildren();
    }
    list.body.replaceChildren(...rollouts.items.map((r) => el("tr", { "data-rollout": r.id },
      el("td", {}, el("a", { href: `#/rollouts/${r.id}` }, String(r.id))),
      el("td", {}, targetText(r.target)), el("td", { class: `state ${r.state}` }, r.state),
      el("td", {}, waveText(r)), el("td", {}, rolloutCountsText(r.counts)),
      el("td", {}, r.createdBy), el("td", {}, formatTime(r.createdAt)))));
  }
  await refresh();
  return refresh;
}
