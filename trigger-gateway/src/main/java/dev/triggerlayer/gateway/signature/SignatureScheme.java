package dev.triggerlayer.gateway.signature;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The two signatures the Alibaba Cloud SDK produces for RPC APIs (docs/signing.md §1). */
public enum SignatureScheme {
    /** Classic RPC signature: {@code Signature} parameter, HMAC-SHA1, SignatureVersion 1.0. */
    V1_HMAC_SHA1("Timestamp"),
    /** {@code Authorization: ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...}. */
    V3_ACS3_HMAC_SHA256("x-acs-date");

    private final String timestampName;

    SignatureScheme(String timestampName) {
        this.timestampName = timestampName;
    }

    /** Where this scheme carries its signing time; named in timestamp errors. */
    String timestampName() {
        return timestampName;
    }

    /**
     * Which scheme a request claims (docs/signing.md §1.3): V3 when the Authorization header starts with
     * {@code ACS3-HMAC-SHA256}, else V1 when a {@code Signature} parameter is present, else none. Only a
     * claim: {@link SignatureVerifier#parse} does the strict checks. Never throws.
     */
    public static Optional<SignatureScheme> detect(SignedRequest request) {
        if (request == null) {
            return Optional.empty();
        }
        String authorization = header(request.headers(), "authorization");
        if (authorization != null && authorization.trim().startsWith(V3Signing.ALGORITHM)) {
            return Optional.of(V3_ACS3_HMAC_SHA256);
        }
        if (has(request.queryParams(), V1Signing.SIGNATURE) || has(request.formParams(), V1Signing.SIGNATURE)) {
            return Optional.of(V1_HMAC_SHA1);
        }
        return Optional.empty();
    }

    /** Case-insensitive look-up that tolerates null keys and values, which the record does not forbid. */
    static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (name.equalsIgnoreCase(entry.getKey()) && entry.getValue() != null) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static boolean has(Map<String, List<String>> params, String name) {
        return params != null && params.containsKey(name);
    }
}
