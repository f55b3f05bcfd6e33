// One rollout: its state and wave, counts per box state, and one row per box (state, progress,
// message) updated in place by the poller; operators can halt a running rollout and resume a
// halted one.
import { api } from "../api.js";
import { confirmDialog } from "../command-form.js";
import { el, errorLine, fields, formatTime, pager, setText, table } from "../dom.js";
import { BOX_STATES, targetText, waveText } from "../ota.js";

function boxRow(box) {
  const progress = el("progress", { max: 100, "aria-label": "Progress" });
  const percent = el("span", { class: "percent" });
  const row = el("tr", { "data-box": box.boxId },
    el("td", {}, el("a", { href: `#/boxes/${box.boxId}`, class: "box-link" }, box.idString || `box ${box.boxId}`)),
    el("td", { class: "wave" }),
    el("td", { class: "state" }),
    el("td", { class: "progress" }, progress, " ", percent),
    el("td", { class: "message" }),
    el("td", { class: "updated" }));
  row.refs = { progress, percent };
  return row;
}

function updateRow(row, box) {
  const [, wave, stateCell, , message, updated] = row.children;
  setText(wave, box.lateJoiner ? `${box.wave} (late joiner)` : box.wave);
  setText(stateCell, box.state.replace("_", " "));
  const wanted = `state ${box.state}`;
  if (stateCell.className !== wanted) stateCell.className = wanted;
  row.dataset.state = box.state;
  if (box.progressPercent === null || box.progressPercent === undefined) {
    row.refs.progress.removeAttribute("value");
    setText(row.refs.percent, "—");
  } else {
    if (row.refs.progress.value !== box.progressPercent) row.refs.progress.value = box.progressPercent;
    setText(row.refs.percent, `${box.progressPercent} %`);
  }
  setText(message, box.message || "");
  setText(updated, formatTime(box.updatedAt));
}

export async function render(container, [rolloutId], context) {
  const title = el("h1", { id: "rollout-title" }, `Rollout ${rolloutId}`);
  const summary = el("div", { id: "rollout-record" });
  const counts = el("ul", { class: "tiles compact", id: "rollout-counts" });
  const tiles = {};
  for (const [name, key] of BOX_STATES) {
    const number = el("strong", {}, "…");
    tiles[key] = number;
    counts.append(el("li", { class: `tile tile-${name}`, "data-count": name }, number, name.replace("_", " ")));
  }
  const feedback = el("div", { "aria-live": "polite" });
  const halt = el("button", { type: "button", class: "danger", id: "rollout-halt", hidden: true }, "Halt rollout");
  const resume = el("button", { type: "button", class: "primary", id: "rollout-resume", hidden: true }, "Resume rollout");
  const list = table("Boxes of this rollout, by box id (updated live)", ["Box", "Wave", "State", "Progress", "Message", "Updated"]);
  list.node.id = "rollout-boxes";
  const rows = new Map();
  let pageNumber = 0;
  const pages = pager((p) => { pageNumber = p; refresh(); });
  container.append(el("p", { class: "crumbs" }, el("a", { href: "#/rollouts" }, "← All rollouts")),
    title, summary, el("div", { class: "actions" }, halt, resume), feedback,
    el("h2", {}, "Boxes per state"), counts,
    el("h2", {}, "Boxes"), el("div", { class: "scroll" }, list.node), pages.node);

  const act = (button, question, label, call, done) => button.addEventListener("click", async () => {
    feedback.replaceChildren();
    if (question && !(await confirmDialog(question, label))) return;
    button.disabled = true;
    try {
      await call();
      feedback.replaceChildren(el("p", { class: "ok" }, done));
      await refresh();
    } catch (e) {
      feedback.replaceChildren(errorLine(`${label} failed: ${e.message}`));
    } finally {
      button.disabled = false;
    }
  });
  act(halt, `Halt rollout ${rolloutId}? Boxes not yet updating are not sent the release; boxes already updating go on.`,
    "Halt rollout", () => api.haltRollout(rolloutId), "Halted.");
  act(resume, `Resume rollout ${rolloutId}? The failures so far no longer count against its threshold.`,
    "Resume rollout", () => api.resumeRollout(rolloutId), "Resumed.");

  async function refresh() {
    const [rollout, boxes] = await Promise.all([api.rollout(rolloutId), api.rolloutBoxes(rolloutId, { page: pageNumber, size: 50 })]);
    if (!context.isCurrent()) return;
    setText(title, `Rollout ${rollout.id}: ${rollout.model} ${rollout.version}`);
    summary.replaceChildren(fields([
      ["Release", el("a", { href: `#/releases/${rollout.releaseId}` }, `${rollout.model} ${rollout.version}`)],
      ["Target", targetText(rollout.target)],
      ["State", el("span", { class: `state ${rollout.state}`, id: "rollout-state" }, rollout.state)],
      ["Halted because", rollout.state === "halted" ? rollout.haltedReason : null],
      ["Wave", el("span", { id: "rollout-wave" }, waveText(rollout))],
      ["Boxes", String(rollout.counts.total)],
      ["Failure threshold", `${rollout.failureThresholdPercent} %`],
      ["Late joiners", rollout.includeLateJoiners ? "included" : "no"],
      ["Forced (downgrade allowed)", rollout.force ? "yes" : "no"],
      ["Command", rollout.commandId ? el("a", { href: `#/commands/${rollout.commandId}` }, String(rollout.commandId)) : null],
      ["Created", `${formatTime(rollout.createdAt)} by ${rollout.createdBy}`],
      ["Updated", formatTime(rollout.updatedAt)],
    ].filter(([, value]) => value !== null)));
    for (const [, key] of BOX_STATES) setText(tiles[key], rollout.counts[key]);
    const operator = context.can("operator");
    halt.hidden = !operator || rollout.state !== "running";
    resume.hidden = !operator || rollout.state !== "halted";

    const seen = new Set();
    boxes.items.forEach((box, index) => {
      seen.add(box.boxId);
      let row = rows.get(box.boxId);
      if (!row) { row = boxRow(box); rows.set(box.boxId, row); }
      updateRow(row, box);
      if (list.body.children[index] !== row) list.body.insertBefore(row, list.body.children[index] || null);
    });
    for (const [boxId, row] of rows) {
      if (!seen.has(boxId)) { row.remove(); rows.delete(boxId); }
    }
    pages.update(boxes);
  }
  await refresh();
  return refresh;
}
