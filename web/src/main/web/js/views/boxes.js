// The box list. Filtering, sorting and paging happen in the API (never all boxes in the page), so
// it stays quick with 10,000 boxes; live updates re-read the current page and change rows in place.
import { api } from "../api.js";
import { ago, copyButton, el, errorLine, pager, setText, shortKey } from "../dom.js";

const PAGE_SIZE = 50;
const COLUMNS = [
  { label: "Status", sort: "online" },
  { label: "Last seen", sort: "lastSeen" },
  { label: "SPN IP", sort: "spnIp" },
  { label: "Group", sort: "group" },
  { label: "Id string", sort: "idString" },
  { label: "Real address", sort: "realIp" },
  { label: "Public key" },
  { label: "Firmware" },
];
const STATUS_FILTERS = {
  "": {},
  online: { online: true },
  offline: { online: false, admission: "accepted" },
  pending: { admission: "pending" },
  rejected: { admission: "rejected" },
};

// Kept while the viewer is open, so coming back from a box shows the same list.
const state = { q: "", group: "", status: "", sort: "id", page: 0 };

export function statusOf(box) {
  if (box.admission !== "accepted") return box.admission;
  return box.online ? "online" : "offline";
}

function createRow(box) {
  const cells = {
    status: el("td", { class: "status" }),
    lastSeen: el("td"),
    spnIp: el("td", { class: "mono" }),
    group: el("td"),
    idString: el("td"),
    realAddress: el("td", { class: "mono" }),
    key: el("td", { class: "mono key" }),
    firmware: el("td"),
  };
  const link = el("a", { href: `#/boxes/${box.id}`, class: "box-link" });
  cells.idString.append(link);
  const keyText = el("span", { title: box.publicKey }, shortKey(box.publicKey));
  cells.key.append(keyText, " ", copyButton(box.publicKey, "public key"));
  Object.values(cells).forEach((cell, i) => cell.setAttribute("data-label", COLUMNS[i].label));
  const tr = el("tr", { "data-box-id": box.id }, Object.values(cells));
  return { tr, cells, link, box };
}

function updateRow(row, box, now) {
  row.box = box;
  const status = statusOf(box);
  setText(row.cells.status, status);
  row.cells.status.className = `status ${status}`;
  row.tr.dataset.status = status;
  setText(row.cells.lastSeen, ago(box.lastSeen, now));
  row.cells.lastSeen.title = box.lastSeen || "";
  setText(row.cells.spnIp, box.spnIp || "—");
  setText(row.cells.group, box.group || "default");
  setText(row.link, box.idString || `box ${box.id}`);
  setText(row.cells.realAddress, box.realPort ? `${box.realIp}:${box.realPort}` : box.realIp);
  setText(row.cells.firmware, box.firmwareVersion || "—");
}

export async function render(container) {
  const search = el("input", { id: "box-search", type: "search", value: state.q, placeholder: "id, SPN IP, real IP, key, group", maxlength: 128 });
  const group = el("input", { id: "box-group", value: state.group, placeholder: "any", maxlength: 128 });
  const status = el("select", { id: "box-status" },
    ...Object.keys(STATUS_FILTERS).map((value) => el("option", { value, selected: value === state.status }, value || "any")));
  const sort = el("select", { id: "box-sort" },
    el("option", { value: "id" }, "registration order"),
    ...COLUMNS.filter((c) => c.sort).flatMap((c) => [
      el("option", { value: c.sort }, `${c.label} ↑`),
      el("option", { value: `-${c.sort}` }, `${c.label} ↓`),
    ]));
  sort.value = state.sort;
  const filters = el("form", { class: "filters", role: "search", "aria-label": "Filter boxes" },
    el("label", { for: "box-search" }, "Search"), search,
    el("label", { for: "box-group" }, "Group"), group,
    el("label", { for: "box-status" }, "Status"), status,
    el("label", { for: "box-sort" }, "Sort"), sort);
  filters.addEventListener("submit", (e) => e.preventDefault());

  const headings = COLUMNS.map((column) => {
    if (!column.sort) return el("th", { scope: "col" }, column.label);
    const button = el("button", { type: "button", class: "sort" }, column.label);
    button.addEventListener("click", () => {
      state.sort = state.sort === column.sort ? `-${column.sort}` : column.sort;
      sort.value = state.sort;
      reload(true);
    });
    return el("th", { scope: "col", "data-sort": column.sort }, button);
  });
  const body = el("tbody", { id: "box-rows" });
  const tableNode = el("table", { class: "boxes", id: "box-table" },
    el("caption", {}, "SPNBoxes (updated live)"),
    el("thead", {}, el("tr", {}, headings)), body);
  const summary = el("p", { id: "box-summary", role: "status" });
  const problem = el("div");
  const pages = pager((page) => { state.page = page; reload(true); });

  container.append(el("h1", {}, "Boxes"), filters, summary, problem, el("div", { class: "scroll" }, tableNode), pages.node);

  const rows = new Map();

  function markSort() {
    for (const th of headings) {
      const key = th.dataset.sort;
      if (!key) continue;
      th.setAttribute("aria-sort", state.sort === key ? "ascending" : state.sort === `-${key}` ? "descending" : "none");
    }
  }

  let request = 0;
  async function reload(resetRows) {
    const mine = ++request;
    markSort();
    const params = { q: state.q, group: state.group, sort: state.sort, page: state.page, size: PAGE_SIZE, ...STATUS_FILTERS[state.status] };
    let page;
    try {
      page = await api.boxes(params);
    } catch (e) {
      if (mine === request) problem.replaceChildren(errorLine(`The boxes could not be loaded: ${e.message}`));
      return;
    }
    if (mine !== request) return;
    problem.replaceChildren();
    if (page.items.length === 0 && page.page > 0 && page.total > 0) {
      state.page = Math.max(0, Math.ceil(page.total / page.size) - 1);
      return reload(true);
    }
    if (resetRows) {
      rows.clear();
    }
    const now = Date.now();
    const seen = new Set();
    const ordered = page.items.map((box) => {
      let row = rows.get(box.id);
      if (!row) {
        row = createRow(box);
        rows.set(box.id, row);
      }
      updateRow(row, box, now);
      seen.add(box.id);
      return row.tr;
    });
    for (const key of [...rows.keys()]) if (!seen.has(key)) rows.delete(key);
    const sameOrder = body.children.length === ordered.length && ordered.every((tr, i) => body.children[i] === tr);
    if (!sameOrder) body.replaceChildren(...ordered);
    const online = page.items.filter((b) => b.online).length;
    setText(summary, page.total === 0 ? "No boxes match." : `${page.total} ${page.total === 1 ? "box matches" : "boxes match"}; ${online} of the ${page.items.length} shown online.`);
    pages.update(page);
  }

  let debounce = null;
  const onFilter = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      state.q = search.value.trim();
      state.group = group.value.trim();
      state.status = status.value;
      state.sort = sort.value;
      state.page = 0;
      reload(true);
    }, 250);
  };
  for (const input of [search, group]) input.addEventListener("input", onFilter);
  for (const select of [status, sort]) select.addEventListener("change", onFilter);

  await reload(true);
  return () => reload(false);
}
