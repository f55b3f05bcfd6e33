// Rollouts, newest first, with their wave and live counts per box state.
import { api } from "../api.js";
import { el, errorLine, formatTime, pager, table } from "../dom.js";
import { rolloutCountsText, targetText, waveText } from "../ota.js";

const STATES = ["", "running", "halted", "completed", "cancelled"];
const state = { state: "", page: 0 };

export async function render(container, params, context) {
  const filter = el("select", { id: "rollout-state" }, ...STATES.map((s) => el("option", { value: s, selected: s === state.state }, s || "any")));
  const list = table("Rollouts, newest first (updated live)", ["Id", "Release", "Target", "State", "Wave", "Boxes", "By", "Created"]);
  list.node.id = "rollout-table";
  const problem = el("div");
  const pages = pager((page) => { state.page = page; refresh(); });
  container.append(el("h1", {}, "Rollouts"),
    el("p", { class: "hint" }, "Start a rollout from a release's page."),
    el("form", { class: "filters", "aria-label": "Filter rollouts" }, el("label", { for: "rollout-state" }, "State"), filter),
    problem, el("div", { class: "scroll" }, list.node), pages.node);
  filter.addEventListener("change", () => { state.state = filter.value; state.page = 0; refresh(); });

  async function refresh() {
    let page;
    try {
      page = await api.rollouts({ state: state.state, page: state.page, size: 25 });
    } catch (e) {
      problem.replaceChildren(errorLine(`The rollouts could not be loaded: ${e.message}`));
      return;
    }
    if (!context.isCurrent()) return;
    problem.replaceChildren();
    list.body.replaceChildren(...page.items.map((r) => el("tr", { "data-rollout": r.id },
      el("td", {}, el("a", { href: `#/rollouts/${r.id}` }, String(r.id))),
      el("td", {}, el("a", { href: `#/releases/${r.releaseId}` }, `${r.model} ${r.version}`)),
      el("td", {}, targetText(r.target)), el("td", { class: `state ${r.state}` }, r.state),
      el("td", {}, waveText(r)), el("td", {}, rolloutCountsText(r.counts)),
      el("td", {}, r.createdBy), el("td", {}, formatTime(r.createdAt)))));
    pages.update(page);
  }
  await refresh();
  return refresh;
}
