package dev.triggerlayer.publisher.delivery.service;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The signature of an HTTP delivery, in header {@value #HEADER}:
 * {@code t=<epoch seconds>,v1=<hex HMAC-SHA256>} over {@code <t> + "." + <body bytes>}, keyed
 * with the subscription's secret (its UTF-8 bytes, exactly as shown at creation). The timestamp
 * is signed too, so a receiver that rejects old timestamps also rejects replayed deliveries.
 */
public final class Signature {

    public static final String HEADER = "X-Triggerlayer-Signature";

    private Signature() {
    }

    /** Lower-case hex of HMAC-SHA256(secret, t + "." + body). */
    public static String sign(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public static String header(String secret, long epochSeconds, byte[] body) {
        return "t=" + epochSeconds + ",v1=" + sign(secret, epochSeconds, body);
    }

    /**
     * What a receiver does: the header parses, its timestamp is within {@code toleranceSeconds}
     * of {@code nowEpochSeconds}, and one of its {@code v1} values is the body's signature.
     */
    public static boolean verify(String secret, String header, byte[] body, long nowEpochSeconds, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        Long timestamp = null;
        java.util.List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                return false;
            }
            if (kv[0].equals("t")) {
                try {
                    timestamp = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (timestamp == null || Math.abs(nowEpochSeconds - timestamp) > toleranceSeconds) {
            return false;
        }
        byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        return signatures.stream().anyMatch(s -> MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII)));
    }
}
