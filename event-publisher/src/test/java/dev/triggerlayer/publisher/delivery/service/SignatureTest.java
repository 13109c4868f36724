package dev.triggerlayer.publisher.delivery.service;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureTest {

    static final String SECRET = "whsec_test-secret";
    static final byte[] BODY = "{\"id\":\"e1\",\"data\":{\"tenantId\":1}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTimestampDotBodyWithHmacSha256() throws Exception {
        // Independent computation of the documented rule: HMAC-SHA256(secret, "<t>." + body), lower-case hex.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(("1763769600." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));

        assertEquals(expected, Signature.sign(SECRET, 1763769600L, BODY));
        assertEquals("t=1763769600,v1=" + expected, Signature.header(SECRET, 1763769600L, BODY));
        assertEquals(64, expected.length());
    }

    @Test
    void knownVectors() {
        // Computed independently (Python hmac), so a receiver in another language can check itself.
        assertEquals("e0af04d5c83b24373ff89f540d0c8fd9a4e097e2b3ee8318ab5541047697626d",
                Signature.sign("key", 0, "body".getBytes(StandardCharsets.UTF_8)));
        assertEquals("t=1763769600,v1=f32caebaa753a6c77340058b1c1cc2b341954c618acd52d0cf8e5c03378dea96",
                Signature.header(SECRET, 1763769600L, BODY));
    }

    @Test
    void verifiesWhatItSigned() {
        String header = Signature.header(SECRET, 1000, BODY);
        assertTrue(Signature.verify(SECRET, header, BODY, 1000, 300));
        assertTrue(Signature.verify(SECRET, header, BODY, 1299, 300), "within tolerance");
    }

    @Test
    void rejectsTamperingWrongSecretStaleTimestampsAndGarbage() {
        String header = Signature.header(SECRET, 1000, BODY);
        byte[] tampered = BODY.clone();
        tampered[5] = 'X';
        assertFalse(Signature.verify(SECRET, header, tampered, 1000, 300), "changed body");
        assertFalse(Signature.verify("whsec_other", header, BODY, 1000, 300), "other secret");
        assertFalse(Signature.verify(SECRET, header, BODY, 1301, 300), "too old: a replayed delivery");
        assertFalse(Signature.verify(SECRET, header.replace("t=1000", "t=1001"), BODY, 1001, 300), "timestamp is signed");
        assertFalse(Signature.verify(SECRET, null, BODY, 1000, 300));
        assertFalse(Signature.verify(SECRET, "garbage", BODY, 1000, 300));
        assertFalse(Signature.verify(SECRET, "v1=abc", BODY, 1000, 300), "no timestamp");
    }
}
