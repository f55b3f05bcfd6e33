import { api } from "./api.js";

const REFRESH_MILLIS = 5000;

function row(name, status) {
  const tr = document.createElement("tr");
  const nameCell = document.createElement("td");
  nameCell.textContent = name;
  const statusCell = document.createElement("td");
  statusCell.textContent = status;
  statusCell.className = status === "UP" ? "up" : "down";
  tr.append(nameCell, statusCell);
  return tr;
}

async function refresh() {
  const summary = document.getElementById("health-summary");
  const body = document.querySelector("#health-checks tbody");
  try {
    const health = await api.readiness();
    summary.textContent = health.status === "UP" ? "All systems up." : "Something is down.";
    summary.className = health.status === "UP" ? "up" : "down";
    body.replaceChildren(...health.checks.map((c) => row(c.name, c.status)));
  } catch (e) {
    summary.textContent = `The functions do not answer: ${e.message}`;
    summary.className = "down";
    body.replaceChildren();
  }
}

refresh();
setInterval(refresh, REFRESH_MILLIS);
