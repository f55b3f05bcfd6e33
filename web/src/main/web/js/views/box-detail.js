// One box: every field of the seed's client record and the console's own, its lease, presence and
// registration history, its commands with their status, and (for operators) a form per command.
import { api } from "../api.js";
import { commandForm, confirmDialog } from "../command-form.js";
import { ago, copyButton, el, errorLine, fields, formatTime, setText, table } from "../dom.js";
import { statusOf } from "./boxes.js";

function recordFields(box) {
  return fields([
    ["Status", el("span", { class: `status ${statusOf(box)}`, id: "box-status-value" }, statusOf(box))],
    ["Last seen", `${formatTime(box.lastSeen)} (${ago(box.lastSeen)})`],
    ["Id string (spnbox_id)", el("span", { id: "box-id-string" }, box.idString || "—")],
    ["SPN IP", box.spnIp ? `${box.spnIp}/${box.mask}` : "none"],
    ["vpnip (stored seed column)", box.vpnip],
    ["Group (groupname)", `${box.group || "default"}${box.groupBound ? " (bound by admission)" : ""}`],
    ["Real address (realip)", box.realPort ? `${box.realIp}:${box.realPort}` : box.realIp],
    ["Public key", el("span", { class: "mono wrap" }, box.publicKey, " ", copyButton(box.publicKey, "public key"))],
    ["Endpoint port (edport)", `${box.endpointPort ?? "—"} (seed column: ${box.edport})`],
    ["Endpoint host", box.endpointHost || "the real address"],
    ["Listen port", box.listenPort],
    ["Allowed IPs", box.allowedIps],
    ["MAC address (mac_addr)", box.macAddress],
    ["Firmware", box.firmwareVersion],
    ["Admission", box.admission],
    ["Edge", box.edgeId],
    ["Created (created_date)", box.createdDate],
    ["Registered", formatTime(box.registeredAt)],
    ["Updated", formatTime(box.updatedAt)],
    ["Box id", box.id],
  ]);
}

function leaseFields(box) {
  if (!box.lease) return el("p", {}, "The box holds no SPN IP lease.");
  return fields([
    ["Address", box.lease.address],
    ["Pool", box.lease.poolId],
    ["Pinned", box.lease.pinned ? "yes" : "no"],
    ["Bound since", formatTime(box.lease.boundAt)],
  ]);
}

function historyRows(body, events) {
  body.replaceChildren(...events.map((e) => el("tr", {},
    el("td", {}, formatTime(e.at)), el("td", {}, e.kind),
    el("td", { class: "mono" }, e.realPort ? `${e.realIp}:${e.realPort}` : e.realIp || "—"),
    el("td", {}, e.detail || ""))));
}

function commandRows(body, deliveries) {
  body.replaceChildren(...deliveries.map((d) => el("tr", { "data-delivery": d.id },
    el("td", {}, el("a", { href: `#/commands/${d.commandId}` }, String(d.commandId))),
    el("td", {}, d.type || ""), el("td", { class: "mono" }, d.arguments ?? ""),
    el("td", { class: `state ${d.state}` }, d.state), el("td", {}, d.attempts),
    el("td", {}, d.result || ""), el("td", {}, formatTime(d.updatedAt || d.createdAt)))));
}

export async function render(container, [boxId], context) {
  const box = await api.box(boxId);
  const title = el("h1", {}, "Box ", el("span", { id: "box-title" }, box.idString || `#${box.id}`));
  const record = el("div", { id: "box-record" }, recordFields(box));
  const lease = el("div", {}, leaseFields(box));
  const actions = el("div", { class: "actions" });
  const actionFeedback = el("div", { "aria-live": "polite" });

  const history = table("Presence and registration history (newest first)", ["When", "Event", "Real address", "Detail"]);
  const commands = table("Commands for this box", ["Command", "Type", "Arguments", "State", "Attempts", "Result", "Updated"]);
  commands.node.id = "box-commands";
  const commandsNote = el("div");

  const operator = context.can("operator");
  if (operator) {
    const approve = el("button", { type: "button" }, "Approve");
    const reject = el("button", { type: "button", class: "danger" }, "Reject");
    const release = el("button", { type: "button" }, "Release SPN IP");
    const act = (label, call, question) => async () => {
      if (question && !(await confirmDialog(question, label))) return;
      actionFeedback.replaceChildren();
      try {
        await call();
        actionFeedback.append(el("p", { class: "ok" }, `${label}: done.`));
        await refresh();
      } catch (e) {
        actionFeedback.append(errorLine(`${label} failed: ${e.message}`));
      }
    };
    approve.addEventListener("click", act("Approve", () => api.approveBox(box.id)));
    reject.addEventListener("click", act("Reject", () => api.rejectBox(box.id), "Reject this box? Its HELLOs are refused and its address released."));
    release.addEventListener("click", act("Release SPN IP", () => api.releaseAddress(box.id), "Release this box's SPN IP into cool-down?"));
    actions.append(approve, reject, release);
  }

  container.append(
    el("p", { class: "crumbs" }, el("a", { href: "#/boxes" }, "← All boxes")),
    title,
    el("div", { class: "columns" },
      el("section", { "aria-labelledby": "record-title" }, el("h2", { id: "record-title" }, "Client record"), record),
      el("section", { "aria-labelledby": "lease-title" }, el("h2", { id: "lease-title" }, "Address lease"), lease, actions, actionFeedback)),
  );
  if (operator) {
    const form = commandForm({
      label: "Send a command to this box",
      target: () => ({ box: String(box.id) }),
      describeTarget: async () => `(box ${box.idString || box.id})`,
      onSent: () => refresh(),
    });
    form.id = "box-command-form";
    container.append(el("section", { "aria-labelledby": "send-title" }, el("h2", { id: "send-title" }, "Send a command"), form));
  }
  container.append(
    el("section", { "aria-labelledby": "box-commands-title" }, el("h2", { id: "box-commands-title" }, "Commands"),
      commandsNote, el("div", { class: "scroll" }, commands.node)),
    el("section", { "aria-labelledby": "history-title" }, el("h2", { id: "history-title" }, "History"),
      el("div", { class: "scroll" }, history.node)));

  async function refresh() {
    const [fresh, events, deliveries] = await Promise.all([
      api.box(box.id),
      api.boxHistory(box.id, { size: 50 }),
      api.boxCommands(box.id, { size: 50 }).catch((e) => e),
    ]);
    if (!context.isCurrent()) return;
    record.replaceChildren(recordFields(fresh));
    lease.replaceChildren(leaseFields(fresh));
    setText(title.querySelector("#box-title"), fresh.idString || `#${fresh.id}`);
    historyRows(history.body, events.items);
    if (deliveries instanceof Error) {
      commandsNote.replaceChildren(errorLine(`Commands could not be loaded: ${deliveries.message}`));
    } else {
      commandsNote.replaceChildren();
      commandRows(commands.body, deliveries.items);
      if (deliveries.items.length === 0) commandsNote.append(el("p", {}, "No commands for this box yet."));
    }
  }
  await refresh();
  return refresh;
}
