package dev.triggerlayer.gateway.signature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transport-neutral view of an incoming request that signature checking needs.
 *
 * <p>No raw query string is kept: both schemes sign the <em>decoded</em> parameter names and values,
 * re-encoded with the signing encoder (docs/signing.md §3.2, §4.2), so the decoded maps are enough.
 * What matters is that they were decoded as HTML forms ({@code +} is a space, {@code %XX} are UTF-8
 * bytes), because that is how the SDK encodes the wire (§2.3). {@link #fromRaw} does exactly that
 * and is the recommended way to build one; a caller that decodes by itself must match it.
 *
 * <p>The record accepts anything, nulls included; the verifier rejects what it cannot use.
 *
 * @param method      the HTTP method exactly as received, e.g. {@code POST}
 * @param path        the raw (still percent-encoded) request path, e.g. {@code /}; V3 signs it
 * @param queryParams decoded query parameters; repeated names keep every value in order
 * @param formParams  decoded {@code application/x-www-form-urlencoded} body parameters, or empty
 * @param headers     one value per header, names in lower case; a header repeated on the wire should be
 *                    rejected by the HTTP adapter (joining the values would only fail the V3 signature)
 * @param body        the body bytes exactly as received; V3 hashes them, so they must not be re-encoded
 */
public record SignedRequest(String method,
                            String path,
                            Map<String, List<String>> queryParams,
                            Map<String, List<String>> formParams,
                            Map<String, String> headers,
                            byte[] body) {

    private static final String FORM_TYPE = "application/x-www-form-urlencoded";

    /**
     * Builds a request from what the HTTP layer received: form-decodes the raw query string, and the
     * body when its content-type is {@code application/x-www-form-urlencoded}, and lower-cases header
     * names.
     *
     * @param rawQuery the query string without {@code ?}, still encoded; null if none
     * @throws SignatureFailure InvalidParameter for malformed percent-encoding or UTF-8, too many
     *                          parameters, or a header given twice under different letter case
     */
    public static SignedRequest fromRaw(String method, String rawPath, String rawQuery,
                                        Map<String, String> headers, byte[] body) {
        Headers normalized = Headers.of(headers);
        Map<String, String> lowerCased = new LinkedHashMap<>();
        for (String name : normalized.names()) {
            lowerCased.put(name, normalized.raw(name));
        }
        Map<String, List<String>> query = rawQuery == null
                ? Map.of()
                : Percent.decodeForm(Percent.utf8("query string", rawQuery), "query string");
        String contentType = normalized.value("content-type");
        boolean form = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM_TYPE);
        Map<String, List<String>> formParams = form && body != null
                ? Percent.decodeForm(body, "request body")
                : Map.of();
        return new SignedRequest(method, rawPath, query, formParams, lowerCased, body);
    }
}
