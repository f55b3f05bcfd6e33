package io.starconsole.functions.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/** Who makes a request and from where, for the audit log. */
public record Caller(String actor, String source) {

    public static Caller of(SecurityIdentity identity, HttpServerRequest http) {
        return new Caller(identity.getPrincipal().getName(), RequestSource.of(http));
    }
}
