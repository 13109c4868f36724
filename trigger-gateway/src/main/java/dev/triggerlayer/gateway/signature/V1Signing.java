package dev.triggerlayer.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** The RPC signature, HMAC-SHA1 / SignatureVersion 1.0 (docs/signing.md §3). */
final class V1Signing {

    static final String SIGNATURE = "Signature";
    static final String METHOD = "HMAC-SHA1";
    static final String VERSION = "1.0";

    private V1Signing() {
    }

    /** Query and form-body parameters together: the SDK signs their merge (§3.1). */
    static Map<String, String> parameters(SignedRequest request) {
        return new Params().add(request.queryParams()).add(request.formParams()).values();
    }

    /** Reads and checks the signing parameters; the timestamp window is the caller's job. */
    static ParsedSignature parse(SignedRequest request) {
        Map<String, String> params = parameters(request);
        String signature = required(params, SIGNATURE);
        String accessKeyId = required(params, "AccessKeyId");
        String method = required(params, "SignatureMethod");
        String version = required(params, "SignatureVersion");
        String timestamp = required(params, "Timestamp");
        String nonce = required(params, "SignatureNonce");
        String action = required(params, "Action");
        String apiVersion = required(params, "Version");
        if (!METHOD.equals(method)) {
            throw SignatureFailure.invalid("SignatureMethod", "only " + METHOD + " is supported.");
        }
        if (!VERSION.equals(version)) {
            throw SignatureFailure.invalid("SignatureVersion", "only " + VERSION + " is supported.");
        }
        Instant time = Timestamps.parse("Timestamp", timestamp);
        Limits.method(request); // signed verbatim by verify(); refuse it now, before the secret look-up
        if (accessKeyId.length() > Limits.MAX_ACCESS_KEY_ID) {
            throw SignatureFailure.invalid("AccessKeyId", "longer than any AccessKey id.");
        }
        if (nonce.length() > Limits.MAX_NONCE) {
            throw SignatureFailure.invalid("SignatureNonce", "longer than " + Limits.MAX_NONCE + " characters.");
        }
        String token = params.get("SecurityToken");
        return new ParsedSignature(SignatureScheme.V1_HMAC_SHA1, accessKeyId, nonce, time, signature,
                List.of(), action, apiVersion, token == null || token.isEmpty() ? null : token);
    }

    /** Empty counts as missing: the SDK never signs an empty value (§3.2 step 1). */
    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw SignatureFailure.missing(name);
        }
        return value;
    }

    /**
     * §3.2: drop Signature and empty values, sort the raw names by {@code String.compareTo}, join
     * {@code enc(name)=enc(value)} with {@code &}, then {@code METHOD&%2F&enc(joined)}. The path is
     * always "/" for RPC, whatever the request path was.
     */
    static String stringToSign(String httpMethod, Map<String, String> params) {
        StringJoiner canonical = new StringJoiner("&");
        for (Map.Entry<String, String> entry : new TreeMap<>(params).entrySet()) {
            if (!SIGNATURE.equals(entry.getKey()) && !entry.getValue().isEmpty()) {
                canonical.add(Percent.encode(entry.getKey()) + "=" + Percent.encode(entry.getValue()));
            }
        }
        return httpMethod + "&" + Percent.encode("/") + "&" + Percent.encode(canonical.toString());
    }

    /** Base64(HMAC-SHA1(secret + "&", stringToSign)). */
    static String sign(String stringToSign, String secret) {
        byte[] key = (secret + "&").getBytes(StandardCharsets.UTF_8);
        return Crypto.base64(Crypto.hmac("HmacSHA1", key, stringToSign.getBytes(StandardCharsets.UTF_8)));
    }
}
