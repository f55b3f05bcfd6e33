package io.starconsole.functions.admission;

/**
 * The admission settings in force: who may register a new box, and whether an operator approves
 * each new box first. {@code source} says whether an operator set them ("api") or they are the
 * configured defaults ("config").
 */
public record AdmissionSettings(AdmissionPolicy policy, boolean manualApproval, String source) {
}
