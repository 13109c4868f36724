package dev.triggerlayer.gateway.signature;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triggerlayer.gateway.signature.SigningVectors.Raw;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds mangled versions of the signing.md examples, and raw garbage, to the verifier: whatever comes
 * in, the only thing allowed out is a {@link SignatureFailure}. Seeded, so a failure is reproducible
 * from the case description in the assertion message.
 */
class SignatureVerifierFuzzTest {

    private static final int CASES = 500;
    private static final long SEED = 20240501L;

    /** Encodings and characters that trip up naive decoders and canonicalisers. */
    private static final String[] ODD = {
        "%", "%%", "%2", "%zz", "%g0", "%E4", "%C0%80", "%ED%A0%80", "%FF", "+", "=", "&", "&&", "==", ",", ";",
        "\u0000", "\r\n", "\t", "\u007F", " ", "", "中文", "\uD800", "\uDC00x", "\uD83D\uDE00", "\u00e9",
        "ACS3-HMAC-SHA256", "ACS3-HMAC-SHA256 ", "Signature=", "SignedHeaders=;", "Credential=,", "Signature",
        "9999999999-99-99T99:99:99Z", "0000-01-01T00:00:00Z", "+2024-05-01T12:00:00Z",
    };

    private final SignatureVerifier verifier = new SignatureVerifier(SigningVectors.CLOCK);

    @Test
    void mangledRequestsOnlyEverFailWithSignatureFailure() {
        Random random = new Random(SEED);
        int[] outcomes = new int[2];
        assertTimeout(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < CASES; i++) {
                int base = random.nextInt(4);
                Raw raw = base(base);
                String secret = base == 0 || base == 2 ? SigningVectors.SECRET_A : SigningVectors.SECRET_B;
                StringBuilder description = new StringBuilder("case " + i + " base " + base + ":");
                for (int m = 1 + random.nextInt(3); m > 0; m--) {
                    description.append(' ').append(mutate(random, raw));
                }
                boolean direct = random.nextInt(4) == 0;
                description.append(direct ? " direct" : " fromRaw");
                SignedRequest request = build(random, raw, direct, description.toString());
                outcomes[request != null && exercise(request, secret, description.toString()) ? 1 : 0]++;
            }
        });
        // Sanity: the mutations do break most requests, and some survive as still-valid ones.
        assertTrue(outcomes[0] > CASES / 2, () -> "rejected " + outcomes[0]);
        assertTrue(outcomes[1] > 0, () -> "accepted " + outcomes[1]);
    }

    @Test
    void randomRawInputOnlyFailsWithSignatureFailure() {
        Random random = new Random(SEED + 1);
        assertTimeout(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < CASES; i++) {
                Raw raw = new Raw(random.nextBoolean() ? "POST" : junk(random, 8), junk(random, 200), null);
                raw.path = random.nextBoolean() ? "/" : junk(random, 20);
                byte[] body = new byte[random.nextInt(100)];
                random.nextBytes(body);
                raw.body = body;
                for (int h = random.nextInt(6); h > 0; h--) {
                    raw.header(random.nextBoolean() ? "x-acs-" + junk(random, 5) : junk(random, 10), junk(random, 40));
                }
                if (random.nextBoolean()) {
                    raw.header("content-type", "application/x-www-form-urlencoded");
                }
                if (random.nextBoolean()) {
                    raw.header("authorization", "ACS3-HMAC-SHA256 " + junk(random, 120));
                } else {
                    raw.query = "Signature=" + junk(random, 10) + "&" + raw.query;
                }
                String description = "raw case " + i;
                SignedRequest request = build(random, raw, random.nextInt(4) == 0, description);
                if (request != null) {
                    exercise(request, "secret", description);
                }
            }
        });
    }

    // ---- building requests ------------------------------------------------------------------------

    private static Raw base(int which) {
        switch (which) {
            case 0: return SigningVectors.v1a();
            case 1: return SigningVectors.v1b();
            case 2: return SigningVectors.v3a();
            default: return SigningVectors.v3b();
        }
    }

    /** Applies one random mutation and says which. */
    private static String mutate(Random random, Raw raw) {
        if (raw.headers == null) {
            return "none(headers-null)"; // an earlier mutation removed the whole map; keep it that way
        }
        String header = randomHeader(random, raw);
        switch (random.nextInt(16)) {
            case 0:
                raw.query = truncate(random, raw.query);
                return "truncate-query";
            case 1:
                if (header != null) {
                    raw.headers.put(header, truncate(random, raw.headers.get(header)));
                }
                return "truncate-header:" + header;
            case 2:
                raw.body = raw.body == null ? null : Arrays.copyOf(raw.body, random.nextInt(raw.body.length + 1));
                return "truncate-body";
            case 3:
                raw.query = insert(random, raw.query, odd(random));
                return "odd-query";
            case 4:
                if (header != null) {
                    raw.headers.put(header, insert(random, raw.headers.get(header), odd(random)));
                }
                return "odd-header:" + header;
            case 5:
                raw.body = insert(random, raw.body == null ? "" : new String(raw.body, StandardCharsets.UTF_8), odd(random))
                        .getBytes(StandardCharsets.UTF_8);
                return "odd-body";
            case 6:
                raw.query = duplicatePair(random, raw.query);
                return "duplicate-query-pair";
            case 7:
                if (header != null) {
                    raw.headers.put(header.toUpperCase(), raw.headers.get(header));
                }
                return "duplicate-header:" + header;
            case 8:
                return huge(random, raw, header);
            case 9:
                return empty(random, raw, header);
            case 10:
                return nulls(random, raw, header);
            case 11:
                if (header != null) {
                    raw.headers.remove(header);
                }
                return "remove-header:" + header;
            case 12:
                raw.query = replaceValue(random, raw.query, odd(random));
                return "odd-query-value";
            case 13:
                raw.method = random.nextBoolean() ? "PO\u00d6ST" : "GET /x HTTP/1.1";
                raw.path = random.nextBoolean() ? "/\u4e2d" : "/a\nb";
                return "odd-method-path";
            case 14:
                raw.headers.put("authorization", flip(random, raw.headers.getOrDefault("authorization",
                        raw.headers.getOrDefault("Authorization", SigningVectors.V3A_AUTHORIZATION))));
                return "flip-authorization";
            default:
                raw.query = (raw.query == null ? "" : raw.query + "&") + (random.nextBoolean()
                        ? "Timestamp=" + odd(random) : "Signature=" + odd(random));
                raw.headers.put("x-acs-date", odd(random));
                return "odd-time-or-signature";
        }
    }

    private static String huge(Random random, Raw raw, String header) {
        String big = (random.nextBoolean() ? "x" : "中").repeat(1 + random.nextInt(1_000_000));
        switch (random.nextInt(3)) {
            case 0:
                raw.query = raw.query + "&Big=" + big;
                return "huge-query";
            case 1:
                if (header != null) {
                    raw.headers.put(header, big);
                }
                return "huge-header:" + header;
            default:
                raw.body = big.getBytes(StandardCharsets.UTF_8);
                return "huge-body";
        }
    }

    private static String empty(Random random, Raw raw, String header) {
        switch (random.nextInt(5)) {
            case 0: raw.query = ""; return "empty-query";
            case 1: raw.method = ""; return "empty-method";
            case 2: raw.path = ""; return "empty-path";
            case 3: raw.body = new byte[0]; return "empty-body";
            default:
                if (header != null) {
                    raw.headers.put(header, "");
                }
                return "empty-header:" + header;
        }
    }

    private static String nulls(Random random, Raw raw, String header) {
        switch (random.nextInt(6)) {
            case 0: raw.query = null; return "null-query";
            case 1: raw.method = null; return "null-method";
            case 2: raw.path = null; return "null-path";
            case 3: raw.body = null; return "null-body";
            case 4: raw.headers = null; return "null-headers";
            default:
                if (header != null) {
                    raw.headers.put(header, null);
                }
                return "null-header:" + header;
        }
    }

    /**
     * Usually through {@link SignedRequest#fromRaw}; sometimes straight into the record with the odd
     * shapes an adapter might produce (null keys, null or empty value lists, repeated values).
     * Returns null when fromRaw itself rejected the input, which must then be a SignatureFailure.
     */
    private static SignedRequest build(Random random, Raw raw, boolean direct, String description) {
        if (direct) {
            return new SignedRequest(raw.method, raw.path, oddParams(random, raw.query),
                    oddParams(random, raw.body == null ? null : new String(raw.body, StandardCharsets.ISO_8859_1)),
                    oddHeaders(random, raw.headers), raw.body);
        }
        try {
            return raw.request();
        } catch (SignatureFailure failure) {
            checkFailure(failure, description);
            return null;
        } catch (Throwable t) {
            throw new AssertionError(description + ": fromRaw threw " + t, t);
        }
    }

    private static Map<String, List<String>> oddParams(Random random, String encoded) {
        if (encoded == null || random.nextInt(8) == 0) {
            return null;
        }
        Map<String, List<String>> params = new HashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? null : pair.substring(eq + 1).replace("%3A", ":").replace("%3D", "=");
            switch (random.nextInt(12)) {
                case 0: params.put(null, List.of("x")); break;
                case 1: params.put(name, null); break;
                case 2: params.put(name, new ArrayList<>()); break;
                case 3: params.put(name, Arrays.asList(value, value)); break;
                default: params.put(name, Arrays.asList(value));
            }
        }
        return params;
    }

    private static Map<String, String> oddHeaders(Random random, Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        Map<String, String> copy = new HashMap<>(headers);
        if (random.nextInt(6) == 0) {
            copy.put(null, "x");
        }
        return copy;
    }

    // ---- exercising the verifier ------------------------------------------------------------------

    /** Runs every public entry point; returns whether the request verified with its real secret. */
    private boolean exercise(SignedRequest request, String secret, String description) {
        guard(description + " detect", () -> SignatureScheme.detect(request));
        ParsedSignature parsed;
        try {
            parsed = verifier.parse(request);
        } catch (SignatureFailure failure) {
            checkFailure(failure, description);
            guard(description + " verify-unparsed", () -> verifier.verify(request, null, secret));
            return false;
        } catch (Throwable t) {
            throw new AssertionError(description + ": parse threw " + t, t);
        }
        boolean verified = guard(description + " verify", () -> verifier.verify(request, parsed, secret));
        guard(description + " verify-wrong", () -> verifier.verify(request, parsed, secret + "x"));
        guard(description + " verify-empty", () -> verifier.verify(request, parsed, ""));
        guard(description + " verify-null", () -> verifier.verify(request, parsed, null));
        return verified;
    }

    /** Returns true when the action completed; a SignatureFailure is fine; anything else fails the test. */
    private static boolean guard(String description, Runnable action) {
        try {
            action.run();
            return true;
        } catch (SignatureFailure failure) {
            checkFailure(failure, description);
            return false;
        } catch (Throwable t) {
            throw new AssertionError(description + ": threw " + t, t);
        }
    }

    private static void checkFailure(SignatureFailure failure, String description) {
        assertNotNull(failure.code(), description);
        assertNotNull(failure.getMessage(), description);
        String message = failure.getMessage();
        assertTrue(!message.contains(SigningVectors.SECRET_A) && !message.contains(SigningVectors.SECRET_B),
                () -> description + ": message leaks a secret");
        // Bounded by Limits: even all-CJK signed input yields a few hundred kilobytes at most.
        assertTrue(message.length() < 300_000, () -> description + ": message of " + message.length() + " chars");
    }

    // ---- string helpers ---------------------------------------------------------------------------

    private static String randomHeader(Random random, Raw raw) {
        if (raw.headers == null || raw.headers.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>(raw.headers.keySet());
        return names.get(random.nextInt(names.size()));
    }

    private static String odd(Random random) {
        return ODD[random.nextInt(ODD.length)];
    }

    private static String truncate(Random random, String text) {
        return text == null ? null : text.substring(0, random.nextInt(text.length() + 1));
    }

    private static String insert(Random random, String text, String piece) {
        if (text == null) {
            return piece;
        }
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + piece + text.substring(at);
    }

    private static String flip(Random random, String text) {
        if (text == null || text.isEmpty()) {
            return odd(random);
        }
        char[] chars = text.toCharArray();
        String replacements = "=,; A\u00e9\uD800";
        chars[random.nextInt(chars.length)] = replacements.charAt(random.nextInt(replacements.length()));
        return new String(chars);
    }

    private static String duplicatePair(Random random, String query) {
        String[] pairs = query == null ? new String[0] : query.split("&");
        if (pairs.length == 0) {
            return "a=1&a=2";
        }
        return query + "&" + pairs[random.nextInt(pairs.length)];
    }

    private static String replaceValue(Random random, String query, String value) {
        String[] pairs = query == null ? new String[0] : query.split("&");
        if (pairs.length == 0) {
            return "x=" + value;
        }
        int i = random.nextInt(pairs.length);
        int eq = pairs[i].indexOf('=');
        pairs[i] = (eq < 0 ? pairs[i] : pairs[i].substring(0, eq)) + "=" + value;
        return String.join("&", pairs);
    }

    private static String junk(Random random, int maxLength) {
        String alphabet = "aZ09-_.~%+=&;:, /\u00e9中\uD800\uDC00\n";
        StringBuilder out = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
