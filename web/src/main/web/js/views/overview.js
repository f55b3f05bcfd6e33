// Fleet overview: counts, recent transitions, failed deliveries and a small chart of online boxes.
import { api } from "../api.js";
import { el, formatTime, setText, table } from "../dom.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** A bar chart of {at, online} points, drawn with SVG elements (no library, no HTML strings). */
function chart(points) {
  const width = 600;
  const height = 120;
  const max = Math.max(1, ...points.map((p) => p.online));
  const barWidth = width / Math.max(1, points.length);
  const node = svg("svg", { viewBox: `0 0 ${width} ${height + 20}`, role: "img", class: "chart",
    "aria-label": `Online boxes over the last 6 hours, between ${Math.min(...points.map((p) => p.online), 0)} and ${max}` });
  points.forEach((p, i) => {
    const h = Math.round((p.online / max) * height);
    const bar = svg("rect", { x: i * barWidth + 1, y: height - h, width: Math.max(1, barWidth - 2), height: h, class: "bar" });
    const tip = svg("title", {});
    tip.textContent = `${formatTime(p.at)}: ${p.online} online`;
    bar.append(tip);
    node.append(bar);
  });
  const label = svg("text", { x: 0, y: height + 16, class: "axis" });
  label.textContent = `max ${max}; 10-minute steps, newest on the right`;
  node.append(label);
  return node;
}

export async function render(container) {
  const counts = {};
  const tiles = el("ul", { class: "tiles", id: "fleet-counts" },
    ...[["online", "Online"], ["offline", "Offline"], ["pending", "Pending approval"], ["rejected", "Rejected"], ["total", "All boxes"], ["failedCommands", "Failed deliveries (24 h)"]]
      .map(([key, label]) => {
        counts[key] = el("strong", { "data-count": key }, "…");
        const link = key === "online" || key === "offline" || key === "pending" ? el("a", { href: "#/boxes" }, label) : label;
        return el("li", { class: `tile tile-${key}` }, counts[key], el("span", {}, link));
      }));
  const chartHolder = el("figure", { class: "chart-holder" });
  const transitions = table("Recent transitions", ["When", "Box", "Event", "Real IP"]);
  transitions.node.id = "recent-transitions";
  container.append(el("h1", {}, "Fleet overview"), tiles,
    el("section", { "aria-labelledby": "chart-title" }, el("h2", { id: "chart-title" }, "Online boxes, last 6 hours"), chartHolder),
    el("section", { "aria-labelledby": "recent-title" }, el("h2", { id: "recent-title" }, "Recent transitions"),
      el("div", { class: "scroll" }, transitions.node)));

  async function refresh() {
    const summary = await api.fleetSummary();
    for (const [key, node] of Object.entries(counts)) setText(node, summary[key]);
    chartHolder.replaceChildren(chart(summary.onlineOverTime),
      el("figcaption", {}, `Now: ${summary.online} online of ${summary.total}.`));
    transitions.body.replaceChildren(...summary.recentTransitions.map((t) => el("tr", {},
      el("td", {}, formatTime(t.at)),
      el("td", {}, el("a", { href: `#/boxes/${t.boxId}` }, t.idString || `box ${t.boxId}`)),
      el("td", { class: `state ${t.kind}` }, t.kind),
      el("td", { class: "mono" }, t.realIp || "—"))));
  }
  await refresh();
  return refresh;
}
