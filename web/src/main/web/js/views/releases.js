// Firmware releases, newest first; operators can withdraw one (after a confirmation).
import { api } from "../api.js";
import { el, errorLine, formatTime, pager, table } from "../dom.js";
import { formatBytes, withdrawRelease } from "../ota.js";

const state = { state: "", page: 0 };

export async function render(container, params, context) {
  const filter = el("select", { id: "release-state" },
    ...["", "published", "withdrawn"].map((s) => el("option", { value: s, selected: s === state.state }, s || "any")));
  const operator = context.can("operator");
  const headings = ["Id", "Model", "Version", "Size", "Encrypted", "Signature keys", "State", "By", "Created"];
  const list = table("Releases, newest first (updated live)", operator ? [...headings, "Actions"] : headings);
  list.node.id = "release-table";
  const problem = el("div");
  const feedback = el("div", { "aria-live": "polite" });
  const pages = pager((page) => { state.page = page; refresh(); });
  container.append(el("h1", {}, "Releases"),
    el("p", { class: "hint" }, "Releases are published with the publisher (star-console-publish); see docs/ota.md."),
    el("form", { class: "filters", "aria-label": "Filter releases" }, el("label", { for: "release-state" }, "State"), filter),
    problem, feedback, el("div", { class: "scroll" }, list.node), pages.node);
  filter.addEventListener("change", () => { state.state = filter.value; state.page = 0; refresh(); });

  async function withdraw(release) {
    feedback.replaceChildren();
    try {
      const done = await withdrawRelease(release);
      if (!done) return;
      feedback.replaceChildren(el("p", { class: "ok" }, `Release ${done.model} ${done.version} withdrawn.`));
      await refresh();
    } catch (e) {
      feedback.replaceChildren(errorLine(`Not withdrawn: ${e.message}`));
    }
  }

  async function refresh() {
    let page;
    try {
      page = await api.releases({ state: state.state, page: state.page, size: 25 });
    } catch (e) {
      problem.replaceChildren(errorLine(`The releases could not be loaded: ${e.message}`));
      return;
    }
    if (!context.isCurrent()) return;
    problem.replaceChildren();
    list.body.replaceChildren(...page.items.map((r) => el("tr", { "data-release": r.id },
      el("td", {}, el("a", { href: `#/releases/${r.id}` }, String(r.id))),
      el("td", {}, r.model), el("td", {}, el("a", { href: `#/releases/${r.id}`, class: "release-link" }, r.version)),
      el("td", {}, formatBytes(r.plainSize)), el("td", {}, formatBytes(r.encryptedSize)),
      el("td", { class: "mono" }, (r.signatureKeyIds || []).join(", ")),
      el("td", { class: `state ${r.state}` }, r.state),
      el("td", {}, r.createdBy), el("td", {}, formatTime(r.createdAt)),
      operator ? el("td", {}, r.state === "published"
        ? el("button", { type: "button", class: "danger", onclick: () => withdraw(r) }, "Withdraw") : "") : null)));
    pages.update(page);
  }
  await refresh();
  return refresh;
}
