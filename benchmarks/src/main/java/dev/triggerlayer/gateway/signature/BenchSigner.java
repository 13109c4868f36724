package dev.triggerlayer.gateway.signature;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Signs V1 requests for the benchmarks (lives in the verifier's package to reuse its encoder). */
public final class BenchSigner {

    private BenchSigner() {
    }

    public static String v1Query(Map<String, String> params, String secret) {
        String signature = V1Signing.sign(V1Signing.stringToSign("GET", params), secret);
        StringJoiner query = new StringJoiner("&");
        new TreeMap<>(params).forEach((k, v) -> query.add(Percent.encode(k) + "=" + Percent.encode(v)));
        return query + "&Signature=" + Percent.encode(signature);
    }
}
