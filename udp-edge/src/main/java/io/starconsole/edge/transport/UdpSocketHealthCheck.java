package io.starconsole.edge.transport;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready and live only while the boxes' UDP socket is bound. */
@Readiness
@Liveness
@ApplicationScoped
public class UdpSocketHealthCheck implements HealthCheck {

    private final EdgeLoop listener;

    public UdpSocketHealthCheck(EdgeLoop listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("udp socket")
                .status(listener.isBound())
                .withData("port", listener.localPort())
                .build();
    }
}
