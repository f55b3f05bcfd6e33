package io.starconsole.agent.backend;

import java.util.Map;
import java.util.Set;

/**
 * A peer-to-peer SPN tunnel, in the seed's rule form
 * {@code groupname|<g>|vip|<ip>|lport|<port>|ekey|<key>|server|<host>:<port>}
 * (ADD_P2P_SPN_TUNNEL / REMOVE_P2P_SPN_TUNNEL). A tunnel is named by its group.
 */
public record P2pTunnelRule(String groupName, String virtualIp, int listenPort, String endpointKey, String server) {

    private static final Set<String> FIELDS = Set.of("groupname", "vip", "lport", "ekey", "server");
    private static final String WHAT = "p2p tunnel rule";

    public P2pTunnelRule {
        if (!groupName.matches("[A-Za-z0-9_.\\-]{1,64}")) {
            throw new IllegalArgumentException(WHAT + ": groupname must be 1..64 of letters, digits, '_', '.', '-'");
        }
    }

    /** Parses the rule; for removal only {@code groupname} is required. */
    public static P2pTunnelRule parse(String rule, boolean forRemoval) {
        Map<String, String> fields = RuleFields.pairs(RuleFields.split(rule), 0, FIELDS, WHAT);
        String group = RuleFields.required(fields, "groupname", WHAT);
        if (forRemoval && fields.size() == 1) {
            return new P2pTunnelRule(group, "", 0, "", "");
        }
        String vip = SpnAddress.ipv4(RuleFields.required(fields, "vip", WHAT)).getHostAddress();
        int port = RuleFields.port(RuleFields.required(fields, "lport", WHAT), WHAT);
        String key = RuleFields.key(RuleFields.required(fields, "ekey", WHAT), WHAT);
        String server = RuleFields.endpoint(RuleFields.required(fields, "server", WHAT), WHAT);
        return new P2pTunnelRule(group, vip, port, key, server);
    }

    /** The interface carrying this tunnel on Linux: {@code p2p-<group>}, at most 15 characters. */
    public String interfaceName() {
        String name = "p2p-" + groupName.replace('.', '-');
        return name.length() > 15 ? name.substring(0, 15) : name;
    }

    public String toRule() {
        return "groupname|" + groupName + "|vip|" + virtualIp + "|lport|" + listenPort + "|ekey|" + endpointKey
                + "|server|" + server;
    }
}
