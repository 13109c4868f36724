package dev.triggerlayer.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** The ACS3-HMAC-SHA256 signature carried in the Authorization header (docs/signing.md §4). */
final class V3Signing {

    static final String ALGORITHM = "ACS3-HMAC-SHA256";
    static final String CONTENT_SHA256 = "x-acs-content-sha256";
    private static final String PREFIX = ALGORITHM + " ";
    private static final List<String> FIELDS = List.of("Credential", "SignedHeaders", "Signature");

    /**
     * Headers that must be present and signed (§4.4 step 3 [policy]). Without host the signature could
     * be replayed against another endpoint, without date and nonce it could be replayed at all, without
     * the content hash the body would be unprotected; action and version say what is being called.
     */
    private static final List<String> REQUIRED = List.of(
            "host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", CONTENT_SHA256);

    private V3Signing() {
    }

    /** Reads and checks everything but the timestamp window and the signature itself. */
    static ParsedSignature parse(SignedRequest request) {
        Headers headers = Headers.of(request.headers());
        Authorization authorization = Authorization.parse(headers.value("authorization"));
        List<String> signed = authorization.signedHeaders();
        for (String name : REQUIRED) {
            String value = headers.value(name);
            if (value == null || value.isEmpty()) {
                throw SignatureFailure.missing(name);
            }
            requireSigned(signed, name);
        }
        // The SDK signs content-type whenever it sends one, and it sends one with every form body.
        boolean hasBody = request.body() != null && request.body().length > 0;
        if (hasBody || headers.raw("content-type") != null) {
            requireSigned(signed, "content-type");
        }
        // The SDK signs every x-acs-* header it sends, so an unsigned one was added on the way.
        for (String name : headers.names()) {
            if (name.startsWith("x-acs-")) {
                requireSigned(signed, name);
            }
        }
        checkSignedValues(headers, signed);
        if (!Crypto.lowerHex(headers.value(CONTENT_SHA256), 64)) {
            throw SignatureFailure.invalid(CONTENT_SHA256, "it must be 64 lower-case hex characters.");
        }
        // Everything verify() will sign must already be acceptable here, before the secret is looked up.
        Limits.method(request);
        Limits.path(request);
        new Params().add(request.queryParams());

        Instant time = Timestamps.parse("x-acs-date", headers.value("x-acs-date"));
        String nonce = headers.value("x-acs-signature-nonce");
        if (nonce.length() > Limits.MAX_NONCE) {
            throw SignatureFailure.invalid("x-acs-signature-nonce", "longer than " + Limits.MAX_NONCE + " characters.");
        }
        String token = headers.value("x-acs-security-token");
        return new ParsedSignature(SignatureScheme.V3_ACS3_HMAC_SHA256, authorization.credential(), nonce, time,
                authorization.signature(), signed, headers.value("x-acs-action"), headers.value("x-acs-version"),
                token == null || token.isEmpty() ? null : token);
    }

    private static void requireSigned(List<String> signed, String name) {
        if (!signed.contains(name)) {
            throw SignatureFailure.incomplete(name, "the header \"" + name + "\" is not in SignedHeaders.");
        }
    }

    private static void checkSignedValues(Headers headers, List<String> signed) {
        long chars = 0;
        for (String name : signed) {
            String value = headers.value(name);
            if (value == null) {
                throw SignatureFailure.incomplete(name, "the signed header \"" + name + "\" is not in the request.");
            }
            chars += name.length() + value.length();
            if (chars > Limits.MAX_SIGNED_CHARS) {
                throw SignatureFailure.invalid(null, "The signed headers are too large to verify.");
            }
            if (!Limits.cleanHeaderValue(value)) {
                throw SignatureFailure.invalid(name, "it contains control characters or invalid Unicode.");
            }
        }
    }

    /**
     * §4.2. The query is the decoded parameters re-encoded and sorted, with empty values kept as
     * {@code name=} (unlike V1); header values are Java-trimmed; there is no trailing newline.
     */
    static String canonicalRequest(String method, String path, Map<String, String> query, Headers headers,
                                   List<String> signedHeaders, String payloadHash) {
        StringJoiner canonicalQuery = new StringJoiner("&");
        for (Map.Entry<String, String> entry : new TreeMap<>(query).entrySet()) {
            canonicalQuery.add(Percent.encode(entry.getKey()) + "=" + Percent.encode(entry.getValue()));
        }
        StringBuilder out = new StringBuilder(256)
                .append(method).append('\n')
                .append(path).append('\n')
                .append(canonicalQuery).append('\n');
        for (String name : signedHeaders) {
            out.append(name).append(':').append(headers.value(name)).append('\n');
        }
        return out.append('\n')
                .append(String.join(";", signedHeaders)).append('\n')
                .append(payloadHash)
                .toString();
    }

    static String stringToSign(String canonicalRequest) {
        return ALGORITHM + "\n" + Crypto.sha256Hex(Percent.utf8(null, canonicalRequest));
    }

    /** Lower-case hex HMAC-SHA256 keyed with the secret itself (no "&", unlike V1). */
    static String sign(String stringToSign, String secret) {
        return Crypto.hex(Crypto.hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8),
                stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex}. Spaces around the three
     * fields are tolerated (they are not signed); anything else odd is rejected.
     */
    record Authorization(String credential, List<String> signedHeaders, String signature) {

        static Authorization parse(String header) {
            if (header == null || header.length() > Limits.MAX_AUTHORIZATION_CHARS) {
                throw malformed("it is missing or too long.");
            }
            if (!header.startsWith(PREFIX)) {
                throw malformed("it must start with \"" + PREFIX + "\".");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String part : header.substring(PREFIX.length()).split(",", -1)) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? part.trim() : part.substring(0, eq).trim();
                if (!FIELDS.contains(key)) {
                    throw malformed("expected Credential=...,SignedHeaders=...,Signature=...");
                }
                if (fields.putIfAbsent(key, part.substring(eq + 1).trim()) != null) {
                    throw malformed(key + " is given more than once.");
                }
            }
            for (String field : FIELDS) {
                if (fields.getOrDefault(field, "").isEmpty()) {
                    throw malformed(field + " is missing.");
                }
            }
            String credential = fields.get("Credential");
            if (credential.length() > Limits.MAX_ACCESS_KEY_ID) {
                throw malformed("Credential is longer than any AccessKey id.");
            }
            String signature = fields.get("Signature");
            if (!Crypto.lowerHex(signature, 64)) {
                throw malformed("Signature must be 64 lower-case hex characters.");
            }
            return new Authorization(credential, signedHeaders(fields.get("SignedHeaders")), signature);
        }

        /** Lower-case, strictly ascending (so sorted and unique), as the SDK writes them. */
        private static List<String> signedHeaders(String value) {
            String[] names = value.split(";", -1);
            if (names.length > Limits.MAX_SIGNED_HEADERS) {
                throw malformed("SignedHeaders lists more than " + Limits.MAX_SIGNED_HEADERS + " headers.");
            }
            List<String> list = new ArrayList<>(names.length);
            for (String name : names) {
                if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
                    throw malformed("SignedHeaders must hold non-empty lower-case header names.");
                }
                if (!list.isEmpty() && list.get(list.size() - 1).compareTo(name) >= 0) {
                    throw malformed("SignedHeaders must be sorted and free of repeats.");
                }
                if (name.equals("authorization")) {
                    throw malformed("the Authorization header cannot sign itself.");
                }
                list.add(name);
            }
            return list;
        }

        private static SignatureFailure malformed(String reason) {
            return SignatureFailure.invalid("Authorization", reason);
        }
    }
}
