// Small DOM helpers. Every text that reaches the page goes through textContent or an attribute
// set with setAttribute: nothing is ever parsed as HTML, so a box named "<img src=x>" stays text.

/** el("a", {href: "#/x", class: "y"}, "text", otherNode): children are strings (as text) or nodes. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (value === true) {
      node.setAttribute(name, "");
    } else {
      node.setAttribute(name, String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces the text of a node only when it changed (keeps row updates cheap). */
export function setText(node, value) {
  const text = value === undefined || value === null ? "" : String(value);
  if (node.textContent !== text) node.textContent = text;
}

export function formatTime(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

/** "12 s ago", "5 min ago", ... for last-seen columns. */
export function ago(iso, now = Date.now()) {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** The first and last characters of a 44-character key. */
export function shortKey(key) {
  if (!key) return "—";
  return key.length > 14 ? `${key.slice(0, 8)}…${key.slice(-4)}` : key;
}

/** A button that copies a value to the clipboard and says so. */
export function copyButton(value, label) {
  const button = el("button", { type: "button", class: "copy", "aria-label": `Copy ${label}`, title: value }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
    setTimeout(() => { button.textContent = "Copy"; }, 1500);
  });
  return button;
}

/** A definition list from [term, value] pairs; values may be nodes. */
export function fields(pairs) {
  const list = el("dl", { class: "fields" });
  for (const [term, value] of pairs) {
    list.append(el("dt", {}, term), el("dd", {}, value === undefined || value === null || value === "" ? "—" : value));
  }
  return list;
}

/** An error line for a form or page, with role=alert so screen readers announce it. */
export function errorLine(message) {
  return el("p", { class: "error", role: "alert" }, message);
}

export function table(caption, headings) {
  const body = el("tbody");
  const node = el("table", {},
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, headings.map((h) => el("th", { scope: "col" }, h)))),
    body);
  return { node, body };
}

/** Previous / next buttons for a server-side page {total, page, size}. */
export function pager(onPage) {
  const info = el("span", { class: "pager-info", "aria-live": "polite" });
  const previous = el("button", { type: "button" }, "Previous");
  const next = el("button", { type: "button" }, "Next");
  let current = { page: 0, size: 50, total: 0 };
  previous.addEventListener("click", () => onPage(Math.max(0, current.page - 1)));
  next.addEventListener("click", () => onPage(current.page + 1));
  const node = el("nav", { class: "pager", "aria-label": "Pages" }, previous, info, next);
  return {
    node,
    update(page) {
      current = page;
      const pages = Math.max(1, Math.ceil(page.total / page.size));
      setText(info, `Page ${page.page + 1} of ${pages} (${page.total} in all)`);
      previous.disabled = page.page <= 0;
      next.disabled = page.page + 1 >= pages;
    },
  };
}
