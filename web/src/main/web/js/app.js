// The viewer's shell: hash routing, the session, the navigation and the one poller. Each page is a
// module in views/ exporting render(container, params, context) that may return a refresh()
// function; the shell calls it every few seconds while the page is shown and the tab is visible.
import { api, session } from "./api.js";
import { setText } from "./dom.js";
import * as login from "./views/login.js";
import * as overview from "./views/overview.js";
import * as boxes from "./views/boxes.js";
import * as boxDetail from "./views/box-detail.js";
import * as commands from "./views/commands.js";
import * as commandDetail from "./views/command-detail.js";
import * as releases from "./views/releases.js";
import * as releaseDetail from "./views/release-detail.js";
import * as rollouts from "./views/rollouts.js";
import * as rolloutDetail from "./views/rollout-detail.js";
import * as accounts from "./views/accounts.js";
import * as password from "./views/password.js";

const POLL_MILLIS = 3000;

const routes = [
  { pattern: /^\/login$/, view: login, public: true, name: "login" },
  { pattern: /^\/overview$/, view: overview, name: "overview" },
  { pattern: /^\/boxes$/, view: boxes, name: "boxes" },
  { pattern: /^\/boxes\/(\d+)$/, view: boxDetail, name: "boxes" },
  { pattern: /^\/commands$/, view: commands, name: "commands" },
  { pattern: /^\/commands\/(\d+)$/, view: commandDetail, name: "commands" },
  { pattern: /^\/releases$/, view: releases, name: "releases" },
  { pattern: /^\/releases\/(\d+)$/, view: releaseDetail, name: "releases" },
  { pattern: /^\/rollouts$/, view: rollouts, name: "rollouts" },
  { pattern: /^\/rollouts\/(\d+)$/, view: rolloutDetail, name: "rollouts" },
  { pattern: /^\/accounts$/, view: accounts, name: "accounts", role: "admin" },
  { pattern: /^\/password$/, view: password, name: "password" },
];

const container = document.getElementById("view");
let refresh = null;
let timer = null;
let generation = 0;
let pendingNotice = "";

export function can(role) {
  const current = session.get();
  if (!current) return false;
  const rank = { viewer: 0, operator: 1, admin: 2 };
  return rank[current.role] >= rank[role];
}

export function notify(message) {
  setText(document.getElementById("notice"), message);
}

function showChrome() {
  const current = session.get();
  document.getElementById("nav").hidden = !current;
  document.getElementById("session").hidden = !current;
  setText(document.getElementById("session-user"), current ? `${current.username} (${current.role})` : "");
  for (const item of document.querySelectorAll("[data-role]")) item.hidden = !can(item.dataset.role);
}

function stopPolling() {
  clearTimeout(timer);
  timer = null;
}

function schedule() {
  stopPolling();
  if (!refresh || document.hidden) return;
  const mine = generation;
  timer = setTimeout(async () => {
    if (mine !== generation) return;
    try {
      await refresh();
    } catch (e) {
      if (mine === generation) notify(`Live update failed: ${e.message}`);
    }
    if (mine === generation) schedule();
  }, POLL_MILLIS);
}

async function route() {
  generation += 1;
  stopPolling();
  refresh = null;
  const path = (location.hash || "#/overview").slice(1);
  const match = routes.map((r) => ({ r, m: path.match(r.pattern) })).find((x) => x.m);
  if (!match) {
    location.replace("#/overview");
    return;
  }
  const { r, m } = match;
  if (!r.public && !session.get()) {
    sessionStorage.setItem("star-console.after-login", location.hash);
    location.replace("#/login");
    return;
  }
  showChrome();
  notify(pendingNotice);
  pendingNotice = "";
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.route === r.name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (r.role && !can(r.role)) {
    container.replaceChildren();
    notify("Your role does not allow this page.");
    return;
  }
  const mine = generation;
  container.replaceChildren();
  try {
    const result = await r.view.render(container, m.slice(1), { can, notify, isCurrent: () => mine === generation });
    if (mine !== generation) return;
    refresh = typeof result === "function" ? result : null;
    schedule();
  } catch (e) {
    if (mine === generation) notify(`This page could not be loaded: ${e.message}`);
  }
  if (mine === generation && r.name !== "login") container.focus({ preventScroll: true });
}

session.onUnauthorized(() => {
  showChrome();
  if (location.hash !== "#/login") {
    sessionStorage.setItem("star-console.after-login", location.hash);
    pendingNotice = "Your session has ended. Please log in again.";
    location.hash = "#/login";
  }
});

document.getElementById("logout").addEventListener("click", async () => {
  try { await api.logout(); } catch { /* the token is dropped either way */ }
  session.clear();
  showChrome();
  pendingNotice = "You are logged out.";
  location.hash = "#/login";
});

document.addEventListener("visibilitychange", () => {
  if (document.hidden) stopPolling();
  else if (refresh) refresh().catch(() => {}).finally(schedule);
});

window.addEventListener("hashchange", route);
route();
