package dev.triggerlayer.gateway.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.gateway.signature.SignatureFailure;
import dev.triggerlayer.gateway.signature.SignedRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Refusals the HTTP layer would otherwise answer with an empty body, answered here, first, with
 * the documented error body: a query string that is not valid URL encoding ({@code %zz}, invalid
 * UTF-8, raw characters that must be encoded), and a declared body length above the limit (refused
 * before the body is read; the connection is closed so the rest is never read either). Bytes the
 * HTTP codec itself cannot parse never get this far (docs/errors.md, "transport refusals").
 */
@ApplicationScoped
public class TransportGuard {

    private final GatewayConfig config;
    private final ObjectMapper json;

    public TransportGuard(GatewayConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route("/").order(-100).handler(ctx -> {
            String length = ctx.request().getHeader("content-length");
            if (length != null && declaredTooLarge(length)) {
                ctx.response().putHeader("connection", "close").endHandler(done -> ctx.request().connection().close());
                refuse(ctx, 413, "RequestEntityTooLarge", "The request body is larger than " + config.maxBodyBytes() + " bytes.");
                return;
            }
            String query = ctx.request().query();
            if (query != null) {
                try {
                    SignedRequest.fromRaw("GET", "/", query, Map.of(), new byte[0]);
                } catch (SignatureFailure f) {
                    refuse(ctx, 400, "InvalidParameter", "The query string is not valid URL encoding: " + f.getMessage());
                    return;
                }
            }
            ctx.next();
        });
    }

    private boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > config.maxBodyBytes();
        } catch (NumberFormatException e) {
            return false; // the HTTP codec refuses a malformed length itself
        }
    }

    private void refuse(RoutingContext ctx, int status, String code, String message) {
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        try {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json").putHeader("x-acs-request-id", requestId)
                    .end(json.writeValueAsString(new ErrorBody(requestId, config.hostId(), code, message, "docs/errors.md#" + code)));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
