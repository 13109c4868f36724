package dev.triggerlayer.publisher.security;

import dev.triggerlayer.publisher.config.PublisherConfig;
import dev.triggerlayer.publisher.error.ErrorBody;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Every API call ({@code /api/...}) must carry the operator bearer token. Probes, metrics and
 * API docs under {@code /q} stay open.
 */
public class OperatorAuthFilter {

    private final byte[] token;

    public OperatorAuthFilter(PublisherConfig config) {
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
        // Constant-time comparison, so the token cannot be guessed byte by byte from timings.
        if (MessageDigest.isEqual(presented, token)) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(new ErrorBody("Unauthorized", "an operator bearer token is required", null))
                .build());
    }
}
