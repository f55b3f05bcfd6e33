package io.starconsole.agent.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A WireGuard peer, in the seed's rule form
 * {@code <pubkey>|allowed-ips|<cidr>[,<cidr>...]|endpoint|<host>:<port>|persistent-keepalive|<n>}
 * (ADD_L3_SPN_TUNNEL / REMOVE_L3_SPN_TUNNEL). Only the public key is required; for removal it is
 * all that counts.
 */
public record PeerRule(String publicKey, List<String> allowedIps, Optional<String> endpoint, Optional<Integer> keepaliveSeconds) {

    private static final Set<String> FIELDS = Set.of("allowed-ips", "endpoint", "persistent-keepalive");
    private static final String WHAT = "peer rule";

    public PeerRule {
        allowedIps = List.copyOf(allowedIps);
    }

    public static PeerRule parse(String rule) {
        String[] parts = RuleFields.split(rule);
        String key = RuleFields.key(parts[0].strip(), WHAT);
        Map<String, String> fields = RuleFields.pairs(parts, 1, FIELDS, WHAT);
        List<String> cidrs = new ArrayList<>();
        String allowed = fields.getOrDefault("allowed-ips", "");
        if (!allowed.isEmpty()) {
            for (String cidr : allowed.split(",")) {
                cidrs.add(cidr(cidr.strip()));
            }
        }
        Optional<String> endpoint = Optional.ofNullable(fields.get("endpoint")).map(e -> RuleFields.endpoint(e, WHAT));
        Optional<Integer> keepalive = Optional.ofNullable(fields.get("persistent-keepalive")).map(PeerRule::keepalive);
        return new PeerRule(key, cidrs, endpoint, keepalive);
    }

    private static String cidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(WHAT + ": '" + text + "' is not a CIDR");
        }
        SpnAddress.ipv4(text.substring(0, slash));
        try {
            int prefix = Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > 32) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(WHAT + ": '" + text + "' is not a CIDR");
        }
        return text;
    }

    private static int keepalive(String text) {
        try {
            int seconds = Integer.parseInt(text);
            if (seconds < 0 || seconds > 65535) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(WHAT + ": persistent-keepalive must be 0..65535");
        }
    }

    /** The canonical rule string (the form the sandbox stores). */
    public String toRule() {
        StringBuilder out = new StringBuilder(publicKey);
        if (!allowedIps.isEmpty()) {
            out.append("|allowed-ips|").append(String.join(",", allowedIps));
        }
        endpoint.ifPresent(e -> out.append("|endpoint|").append(e));
        keepaliveSeconds.ifPresent(k -> out.append("|persistent-keepalive|").append(k));
        return out.toString();
    }
}
