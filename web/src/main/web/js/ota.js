// What the release and rollout pages share: sizes, targets, per-state counts, the waves check and
// the withdraw action (with its confirmation dialog).
import { api } from "./api.js";
import { confirmDialog } from "./command-form.js";

/** The box states of a rollout, in the order a box goes through them, with the counts' keys. */
export const BOX_STATES = [
  ["pending", "pending"], ["downloading", "downloading"], ["verifying", "verifying"], ["installing", "installing"],
  ["rebooting", "rebooting"], ["succeeded", "succeeded"], ["failed", "failed"], ["rolled_back", "rolledBack"],
];

export function formatBytes(bytes) {
  if (bytes === undefined || bytes === null) return "—";
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function targetText(target) {
  if (!target) return "";
  if (target.kind === "all") return "all boxes";
  return `${target.kind} ${target.value}`;
}

/** "3 succeeded, 1 failed of 4" (states with no box left out). */
export function rolloutCountsText(counts) {
  if (!counts) return "";
  const parts = BOX_STATES.filter(([, key]) => counts[key]).map(([name, key]) => `${counts[key]} ${name.replace("_", " ")}`);
  return `${parts.join(", ") || "no boxes"} of ${counts.total}`;
}

/** "wave 1 of 2 (50 %, 100 %)". */
export function waveText(rollout) {
  return `wave ${rollout.currentWave} of ${rollout.waves.length} (${rollout.waves.map((w) => `${w} %`).join(", ")})`;
}

/**
 * "1, 10, 100" -> [1, 10, 100]; throws an Error saying what is wrong: whole percents 1..100,
 * ascending, at most 10, the last one 100 (the API checks the same).
 */
export function parseWaves(text) {
  const parts = String(text).split(",").map((p) => p.trim());
  if (parts.length === 1 && parts[0] === "") throw new Error("Give the waves, for example 10, 50, 100.");
  const waves = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) < 1 || Number(part) > 100) {
      throw new Error(`"${part}" is not a percent from 1 to 100.`);
    }
    const value = Number(part);
    if (waves.length && value <= waves[waves.length - 1]) throw new Error("The waves must be ascending.");
    waves.push(value);
  }
  if (waves.length > 10) throw new Error("At most 10 waves.");
  if (waves[waves.length - 1] !== 100) throw new Error("The last wave must be 100.");
  return waves;
}

/** Asks, then withdraws; resolves to the withdrawn release, or null when the operator said no. */
export async function withdrawRelease(release) {
  const question = `Withdraw release ${release.model} ${release.version}? No box gets it from now on, and its running rollouts halt.`;
  if (!(await confirmDialog(question, "Withdraw release"))) return null;
  return api.withdrawRelease(release.id);
}
