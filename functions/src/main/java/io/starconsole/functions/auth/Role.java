package io.starconsole.functions.auth;

import java.util.Set;

/**
 * Operator roles. Each role includes the ones below it, so resources name the least role they need
 * ({@code @RolesAllowed(Role.Names.OPERATOR)}).
 */
public enum Role {
    VIEWER(Set.of(Names.VIEWER)),
    OPERATOR(Set.of(Names.VIEWER, Names.OPERATOR)),
    ADMIN(Set.of(Names.VIEWER, Names.OPERATOR, Names.ADMIN));

    /** Constant names for annotations. */
    public static final class Names {
        public static final String VIEWER = "viewer";
        public static final String OPERATOR = "operator";
        public static final String ADMIN = "admin";
        /** Not an operator role: the UDP edges, on {@code /internal/} only. */
        public static final String EDGE = "edge";

        private Names() {
        }
    }

    private final Set<String> grantedRoles;

    Role(Set<String> grantedRoles) {
        this.grantedRoles = grantedRoles;
    }

    public Set<String> grantedRoles() {
        return grantedRoles;
    }

    public String wireName() {
        return name().toLowerCase();
    }

    public static Role fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role");
    }
}
