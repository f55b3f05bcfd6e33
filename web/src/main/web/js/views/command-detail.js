// One command and its deliveries, one row per box, with live status.
import { api } from "../api.js";
import { confirmDialog } from "../command-form.js";
import { el, errorLine, fields, formatTime, pager, table } from "../dom.js";
import { countsText } from "./commands.js";

export async function render(container, [commandId], context) {
  const summary = el("div");
  const feedback = el("div", { "aria-live": "polite" });
  const list = table("Deliveries (updated live)", ["Box", "SPN IP", "State", "Attempts", "Result", "Leased until", "Updated"]);
  list.node.id = "delivery-table";
  let pageNumber = 0;
  const pages = pager((p) => { pageNumber = p; refresh(); });
  const cancel = el("button", { type: "button", class: "danger", hidden: true }, "Cancel what is still queued");
  cancel.addEventListener("click", async () => {
    if (!(await confirmDialog(`Cancel command ${commandId} for every box that has not received it yet?`, "Cancel command"))) return;
    try {
      await api.cancelCommand(commandId);
      feedback.replaceChildren(el("p", { class: "ok" }, "Cancelled."));
      await refresh();
    } catch (e) {
      feedback.replaceChildren(errorLine(`Not cancelled: ${e.message}`));
    }
  });
  container.append(el("p", { class: "crumbs" }, el("a", { href: "#/commands" }, "← All commands")),
    el("h1", {}, `Command ${commandId}`), summary, cancel, feedback, el("div", { class: "scroll" }, list.node), pages.node);

  async function refresh() {
    const [command, deliveries] = await Promise.all([api.command(commandId), api.deliveries(commandId, { page: pageNumber, size: 50 })]);
    if (!context.isCurrent()) return;
    summary.replaceChildren(fields([
      ["Type", `${command.typeCode} ${command.type}`],
      ["Target", command.target.kind === "all" ? "all boxes" : `${command.target.kind} ${command.target.value}`],
      ["Arguments", command.arguments],
      ["Priority", command.priority],
      ["State", el("span", { class: `state ${command.state}`, id: "command-state" }, command.state)],
      ["Deliveries", `${countsText(command.counts)} of ${command.counts.total}`],
      ["Created", `${formatTime(command.createdAt)} by ${command.createdBy}`],
    ]));
    cancel.hidden = !context.can("operator") || !(command.counts.queued > 0);
    list.body.replaceChildren(...deliveries.items.map((d) => el("tr", { "data-delivery": d.id },
      el("td", {}, el("a", { href: `#/boxes/${d.boxId}` }, d.idString || `box ${d.boxId}`)),
      el("td", { class: "mono" }, d.spnIp || "—"), el("td", { class: `state ${d.state}` }, d.state),
      el("td", {}, d.attempts), el("td", {}, d.result || ""), el("td", {}, formatTime(d.leasedUntil)),
      el("td", {}, formatTime(d.updatedAt)))));
    pages.update(deliveries);
  }
  await refresh();
  return refresh;
}
