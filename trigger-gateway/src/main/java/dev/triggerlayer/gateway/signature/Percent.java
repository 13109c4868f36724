package dev.triggerlayer.gateway.signature;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two encodings the SDK uses: the signing encoder (docs/signing.md §2.1) and the HTML-form wire
 * encoding that has to be undone on arrival (§2.3).
 */
final class Percent {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Percent() {
    }

    /**
     * The SDK's signing encoder. It is URLEncoder followed by {@code + -> %20}, {@code * -> %2A},
     * {@code %7E -> ~}, which nets out to RFC 3986: only {@code A-Z a-z 0-9 - _ . ~} stay literal,
     * every other UTF-8 byte becomes {@code %XX} with upper-case hex.
     */
    static String encode(String text) {
        byte[] bytes = utf8(null, text);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (unreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }

    /**
     * Decodes {@code application/x-www-form-urlencoded} bytes (a query string or a form body) into
     * names and values in arrival order, repeated names keeping every value. {@code +} is a space and
     * {@code %XX} a byte; the bytes must be valid UTF-8. A pair without {@code =} has an empty value,
     * empty pairs ({@code a=1&&b=2}) are skipped.
     *
     * @param source names the input in error messages, e.g. "query string"
     */
    static Map<String, List<String>> decodeForm(byte[] raw, String source) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        int count = 0;
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i < raw.length && raw[i] != '&') {
                continue;
            }
            if (i > start) {
                if (++count > Limits.MAX_PARAMETERS) {
                    throw SignatureFailure.invalid(null, "The " + source + " has more than "
                            + Limits.MAX_PARAMETERS + " parameters.");
                }
                int eq = indexOf(raw, (byte) '=', start, i);
                String name = decodeComponent(raw, start, eq < 0 ? i : eq, source);
                String value = eq < 0 ? "" : decodeComponent(raw, eq + 1, i, source);
                if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                    // No caller sends one, and PostgreSQL text cannot hold one: refuse it here, naming the parameter.
                    throw SignatureFailure.invalid(name.indexOf('\0') >= 0 ? null : name, "it contains a NUL character.");
                }
                out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = i + 1;
        }
        return out;
    }

    private static int indexOf(byte[] raw, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String decodeComponent(byte[] raw, int from, int to, String source) {
        byte[] bytes = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = raw[i];
            if (b == '+') {
                bytes[n++] = ' ';
            } else if (b == '%') {
                int high = i + 2 < to ? hexValue(raw[i + 1]) : -1;
                int low = high >= 0 ? hexValue(raw[i + 2]) : -1;
                if (low < 0) {
                    throw SignatureFailure.invalid(null, "The " + source + " has malformed percent-encoding.");
                }
                bytes[n++] = (byte) (high << 4 | low);
                i += 2;
            } else if (mustBeEncoded(b)) {
                throw SignatureFailure.invalid(null, "The " + source + " contains a character that must be percent-encoded (byte 0x"
                        + Integer.toHexString(b & 0xFF) + ").");
            } else {
                bytes[n++] = b;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw SignatureFailure.invalid(null, "The " + source + " is not valid UTF-8 once decoded.");
        }
    }

    /**
     * Bytes RFC 3986 does not allow literally in a query or form (controls, space, non-ASCII,
     * {@code " < > \ ^ ` { | }}): the SDKs always percent-encode them, so a raw one is a broken or
     * hostile request.
     */
    private static boolean mustBeEncoded(byte b) {
        int c = b & 0xFF;
        return c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}';
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }

    /**
     * Strict UTF-8. {@code getBytes(UTF_8)} would turn a lone surrogate into {@code ?}, as URLEncoder
     * does in the SDK; such text cannot round-trip, so it is refused instead (docs/signing.md §8).
     *
     * @param what names the text in the error message, e.g. "query string"; null for "request"
     */
    static byte[] utf8(String what, String text) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw SignatureFailure.invalid(null, "The " + (what == null ? "request" : what)
                    + " contains text that is not valid Unicode (an unpaired surrogate).");
        }
    }

    /** True when every surrogate in the text is part of a pair, i.e. it has a UTF-8 form. */
    static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
