// The command list with live counts per delivery state, and (for operators) a form for group and
// broadcast commands that previews how many boxes the target reaches before sending.
import { api } from "../api.js";
import { commandForm } from "../command-form.js";
import { el, errorLine, formatTime, pager, setText, table } from "../dom.js";

const STATES = ["", "queued", "in_progress", "succeeded", "failed", "partial", "expired", "cancelled"];
const state = { state: "", page: 0 };

export function countsText(counts) {
  if (!counts) return "";
  return ["queued", "delivered", "succeeded", "failed", "expired", "cancelled"]
    .filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`).join(", ") || "none";
}

function targetText(target) {
  if (!target) return "";
  if (target.kind === "all") return "all boxes";
  return `${target.kind} ${target.value}`;
}

function broadcastForm() {
  const kind = el("select", { id: "bc-kind" }, el("option", { value: "group" }, "a group"), el("option", { value: "all" }, "all boxes"));
  const group = el("input", { id: "bc-group", maxlength: 128, placeholder: "group name" });
  const late = el("input", { id: "bc-late", type: "checkbox" });
  const preview = el("p", { id: "bc-preview", role: "status" }, "Choose a target to see how many boxes it reaches.");
  const targetOf = () => {
    if (kind.value === "all") return { all: true };
    const name = group.value.trim();
    if (!name) throw new Error("Name the group.");
    return { group: name };
  };
  let asked = 0;
  const updatePreview = async () => {
    const mine = ++asked;
    group.disabled = kind.value === "all";
    let target;
    try { target = targetOf(); } catch { setText(preview, "Name the group to see how many boxes it reaches."); return; }
    try {
      const result = await api.previewTarget(target.all ? { all: true } : { group: target.group });
      if (mine === asked) setText(preview, `This reaches ${result.boxes} box${result.boxes === 1 ? "" : "es"} now.`);
    } catch (e) {
      if (mine === asked) setText(preview, `Preview unavailable: ${e.message}`);
    }
  };
  kind.addEventListener("change", updatePreview);
  group.addEventListener("input", updatePreview);
  const form = commandForm({
    label: "Send a group or broadcast command",
    target: targetOf,
    describeTarget: async () => (preview.textContent.startsWith("This reaches") ? `(${kind.value === "all" ? "all boxes" : `group ${group.value.trim()}`}: ${preview.textContent.replace("This reaches ", "").replace(" now.", "")})` : ""),
    extraFields: () => [
      el("fieldset", { class: "target" }, el("legend", {}, "Target"),
        el("label", { for: "bc-kind" }, "Send to"), kind,
        el("label", { for: "bc-group" }, "Group"), group,
        el("label", { class: "inline" }, late, " Also boxes that join the target later"),
        preview),
    ],
    body: () => ({ includeLateJoiners: late.checked }),
  });
  updatePreview();
  return form;
}

export async function render(container, params, context) {
  const filter = el("select", { id: "cmd-state" }, ...STATES.map((s) => el("option", { value: s, selected: s === state.state }, s || "any")));
  const list = table("Commands, newest first (updated live)", ["Id", "Type", "Target", "Arguments", "Priority", "State", "Deliveries", "By", "Created"]);
  list.node.id = "command-table";
  const problem = el("div");
  const pages = pager((page) => { state.page = page; refresh(); });
  container.append(el("h1", {}, "Commands"));
  if (context.can("operator")) {
    container.append(el("section", { "aria-labelledby": "bc-title" }, el("h2", { id: "bc-title" }, "Group and broadcast commands"),
      broadcastForm()));
  }
  container.append(el("form", { class: "filters", "aria-label": "Filter commands" }, el("label", { for: "cmd-state" }, "State"), filter),
    problem, el("div", { class: "scroll" }, list.node), pages.node);
  filter.addEventListener("change", () => { state.state = filter.value; state.page = 0; refresh(); });

  async function refresh() {
    let page;
    try {
      page = await api.commands({ state: state.state, page: state.page, size: 25 });
    } catch (e) {
      problem.replaceChildren(errorLine(`The commands could not be loaded: ${e.message}`));
      return;
    }
    if (!context.isCurrent()) return;
    problem.replaceChildren();
    list.body.replaceChildren(...page.items.map((c) => el("tr", { "data-command": c.id },
      el("td", {}, el("a", { href: `#/commands/${c.id}` }, String(c.id))),
      el("td", {}, c.type), el("td", {}, targetText(c.target)), el("td", { class: "mono" }, c.arguments ?? ""),
      el("td", {}, c.priority), el("td", { class: `state ${c.state}` }, c.state),
      el("td", {}, `${countsText(c.counts)} of ${c.counts ? c.counts.total : "?"}`),
      el("td", {}, c.createdBy), el("td", {}, formatTime(c.createdAt)))));
    pages.update(page);
  }
  await refresh();
  return refresh;
}
