package dev.triggerlayer.scheduler.security;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.error.ErrorBody;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Every admin API call ({@code /api/...}) must carry the operator bearer token. Probes, metrics
 * and API docs under {@code /q} stay open.
 */
public class OperatorAuthFilter {

    private final byte[] token;

    public OperatorAuthFilter(SchedulerConfig config) {
        this.token = config.admin().token().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter
    public Optional<Response> requireOperator(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        byte[] presented = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (MessageDigest.isEqual(presented, token)) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(new ErrorBody("Unauthorized", "an operator bearer token is required", null))
                .build());
    }
}
