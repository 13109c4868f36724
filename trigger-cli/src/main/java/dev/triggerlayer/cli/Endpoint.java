package dev.triggerlayer.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The gateway's address as the SDK takes it: a protocol ({@code HTTP}/{@code HTTPS}) and the
 * endpoint string it sends, verbatim, as the {@code host} header (host, and port if given).
 */
record Endpoint(String protocol, String authority) {

    static Endpoint parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL, e.g. http://127.0.0.1:8080");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + text + "' must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + text + "' must name a host (and optionally a port), e.g. http://127.0.0.1:8080");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + text + "' must have no path, query or fragment: the RPC endpoint is always /");
        }
        return new Endpoint(scheme.toUpperCase(Locale.ROOT), uri.getRawAuthority());
    }
}
