package dev.triggerlayer.gateway.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.gateway.signature.SignatureFailure;
import dev.triggerlayer.gateway.signature.SignedRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Malformed query strings ({@code %zz}, invalid UTF-8) would be refused by the HTTP layer with an
 * empty 400 before the endpoint runs; this route, placed first, answers them with the documented
 * error body instead.
 */
@ApplicationScoped
public class RawQueryGuard {

    private final GatewayConfig config;
    private final ObjectMapper json;

    public RawQueryGuard(GatewayConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route("/").order(-100).handler(ctx -> {
            String query = ctx.request().query();
            if (query != null) {
                try {
                    SignedRequest.fromRaw("GET", "/", query, Map.of(), new byte[0]);
                } catch (SignatureFailure f) {
                    String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
                    ErrorBody body = new ErrorBody(requestId, config.hostId(), "InvalidParameter",
                            "The query string is not valid URL encoding: " + f.getMessage(), "docs/errors.md#InvalidParameter");
                    try {
                        ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                                .putHeader("x-acs-request-id", requestId).end(json.writeValueAsString(body));
                    } catch (JsonProcessingException e) {
                        ctx.fail(e);
                    }
                    return;
                }
            }
            ctx.next();
        });
    }
}
