package dev.triggerlayer.gateway.signature;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Signs V1 requests in tests that need full control (replays, malformed variants). */
public final class TestSigner {

    private TestSigner() {
    }

    /** The query string of a V1 GET request with every parameter signed. */
    public static String v1Query(Map<String, String> params, String secret) {
        String signature = V1Signing.sign(V1Signing.stringToSign("GET", params), secret);
        StringJoiner query = new StringJoiner("&");
        new TreeMap<>(params).forEach((k, v) -> query.add(Percent.encode(k) + "=" + Percent.encode(v)));
        return query + "&Signature=" + Percent.encode(signature);
    }
}
