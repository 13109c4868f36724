package dev.triggerlayer.gateway.auth;

import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.gateway.rpc.ApiException;
import dev.triggerlayer.gateway.signature.ParsedSignature;
import dev.triggerlayer.gateway.signature.SignatureScheme;
import dev.triggerlayer.gateway.signature.SignedRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;

/**
 * The endpoint names this gateway serves ({@code gateway.endpoints}: {@code host[:port]}, or
 * {@code host:*} for any port). A V3 request signs its {@code host} header, so one signed for
 * another endpoint (another region, another service) is refused here instead of being replayed
 * against this one. V1 signs no host; it is bound to its nonce and timestamp only (docs/security.md).
 */
@ApplicationScoped
public class Endpoints {

    private final List<String> names;

    public Endpoints(GatewayConfig config) {
        this.names = config.endpoints().orElse(List.of(config.hostId())).stream()
                .map(n -> n.trim().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty()).toList();
    }

    void check(ParsedSignature parsed, SignedRequest request) {
        if (parsed.scheme() != SignatureScheme.V3_ACS3_HMAC_SHA256) {
            return;
        }
        String host = request.headers().get("host");
        if (host == null || !serves(host)) {
            throw new ApiException(400, "InvalidParameter", "The parameter \"host\" is invalid: the request was signed for "
                    + (host == null ? "no host" : "'" + abbreviate(host) + "'") + ", which this endpoint does not serve.");
        }
    }

    boolean serves(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        String bare = h.contains(":") && !h.endsWith("]") ? h.substring(0, h.lastIndexOf(':')) : h;
        for (String n : names) {
            if (n.equals(h) || (n.endsWith(":*") && n.substring(0, n.length() - 2).equals(bare))) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
