package dev.triggerlayer.gateway.signature;

/**
 * Bounds on what a request may make the verifier do. The SDK's largest legitimate request for this
 * gateway (RunTriggerNode, optionally with an STS token of a few KiB) is far below all of them; they
 * exist so that hostile input costs little: the string to sign and the HMAC input stay small.
 */
final class Limits {

    /** Parameters across query and form body (RunTriggerNode over V1 sends 13). */
    static final int MAX_PARAMETERS = 200;
    /** Characters in all signed names and values together, before encoding. */
    static final int MAX_SIGNED_CHARS = 16 * 1024;
    static final int MAX_HEADERS = 200;
    static final int MAX_HEADER_NAME = 256;
    static final int MAX_SIGNED_HEADERS = 64;
    static final int MAX_AUTHORIZATION_CHARS = 4096;
    /** Fits {@code signature_nonce.access_key_id varchar(64)}. */
    static final int MAX_ACCESS_KEY_ID = 64;
    /** Fits {@code signature_nonce.nonce varchar(128)}; the SDK sends 32 hex characters. */
    static final int MAX_NONCE = 128;
    static final int MAX_PATH = 2048;
    static final int MAX_METHOD = 16;

    private Limits() {
    }

    /** The HTTP method, which both schemes sign verbatim: a short run of visible ASCII. */
    static String method(SignedRequest request) {
        String method = request.method();
        if (method == null || method.isEmpty()) {
            throw SignatureFailure.missing("method");
        }
        if (method.length() > MAX_METHOD || !visibleAscii(method)) {
            throw SignatureFailure.invalid("method", "not a valid HTTP method.");
        }
        return method;
    }

    /**
     * The raw path V3 signs, "/" when absent or blank like the SDK. Control characters and spaces cannot
     * occur in a real request line and would blur the line structure of the canonical request.
     */
    static String path(SignedRequest request) {
        String path = request.path();
        if (path == null || path.isBlank()) {
            return "/";
        }
        if (path.length() > MAX_PATH || !visibleAscii(path)) {
            throw SignatureFailure.invalid("path", "not a raw request path.");
        }
        return path;
    }

    /** A signed header value may not hold line breaks or other controls (tab aside), nor broken UTF-16. */
    static boolean cleanHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return Percent.wellFormed(value);
    }

    private static boolean visibleAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }
}
