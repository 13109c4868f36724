package dev.triggerlayer.gateway.signature;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Signs V1 requests in tests that need full control (replays, malformed variants), and in the
 * benchmarks (published in this module's test jar): the one V1 test signer.
 */
public final class TestSigner {

    private TestSigner() {
    }

    /** The string a V1 GET request with these parameters signs. */
    public static String v1StringToSign(Map<String, String> params) {
        return V1Signing.stringToSign("GET", params);
    }

    /** The query string of a V1 GET request with every parameter signed. */
    public static String v1Query(Map<String, String> params, String secret) {
        String signature = V1Signing.sign(v1StringToSign(params), secret);
        StringJoiner query = new StringJoiner("&");
        new TreeMap<>(params).forEach((k, v) -> query.add(Percent.encode(k) + "=" + Percent.encode(v)));
        return query + "&Signature=" + Percent.encode(signature);
    }
}
