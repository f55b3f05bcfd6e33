package io.starconsole.functions.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** Where a request came from, for the audit log and rate limits. */
public final class RequestSource {

    private RequestSource() {
    }

    public static String of(HttpServerRequest request) {
        SocketAddress remote = request == null ? null : request.remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }
}
