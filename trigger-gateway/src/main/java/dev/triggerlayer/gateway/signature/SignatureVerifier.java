package dev.triggerlayer.gateway.signature;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies requests signed by the Alibaba Cloud SDK with V1 (HMAC-SHA1) or V3 (ACS3-HMAC-SHA256), as
 * specified in docs/signing.md. Two phases, so the caller can look up the secret in between:
 *
 * <pre>{@code
 * ParsedSignature parsed = verifier.parse(request);          // shape, presence, timestamp window
 * String secret = keys.secretFor(parsed.accessKeyId());      // caller: unknown key -> its own error
 * verifier.verify(request, parsed, secret);                  // content hash (V3) and signature
 * // caller: reject a nonce already seen for parsed.accessKeyId() within the window, then record it
 * }</pre>
 *
 * <p>For any request content both methods throw nothing but {@link SignatureFailure}. Nonce replay
 * is left to the caller because it needs shared storage. Thread-safe.
 */
public final class SignatureVerifier {

    /** The cloud's accepted clock skew, in either direction. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    private final Clock clock;
    private final Duration window;

    public SignatureVerifier(Clock clock) {
        this(clock, DEFAULT_WINDOW);
    }

    /** @param window the largest accepted distance between the request time and {@code clock} */
    public SignatureVerifier(Clock clock, Duration window) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative");
        }
    }

    /**
     * Reads the signature and checks everything that needs no secret: the scheme, required parameters
     * and headers, their format, and that the timestamp is within the window of the clock.
     *
     * @throws SignatureFailure MissingParameter, InvalidParameter, IncompleteSignature,
     *                          InvalidTimeStamp.Format or InvalidTimeStamp.Expired
     */
    public ParsedSignature parse(SignedRequest request) {
        ParsedSignature parsed = read(request);
        Duration skew = Duration.between(clock.instant(), parsed.timestamp()).abs();
        if (skew.compareTo(window) > 0) {
            throw SignatureFailure.expired(parsed.scheme().timestampName());
        }
        return parsed;
    }

    /**
     * Recomputes the signature with {@code secret} and compares it in constant time. The request is
     * read again and must yield {@code parsed}, so a ParsedSignature from another request cannot vouch
     * for this one. A null or empty secret never matches.
     *
     * @throws SignatureFailure SignatureDoesNotMatch (its message shows the server's string to sign),
     *                          InvalidParameter when x-acs-content-sha256 is not the hash of the body
     *                          or {@code parsed} does not belong to the request, or any failure of
     *                          {@link #parse} except the timestamp window
     */
    public void verify(SignedRequest request, ParsedSignature parsed, String secret) {
        ParsedSignature fresh = read(request);
        if (!fresh.equals(parsed)) {
            throw SignatureFailure.invalid(null, "The parsed signature does not belong to this request.");
        }
        boolean usable = secret != null && !secret.isEmpty();
        if (fresh.scheme() == SignatureScheme.V1_HMAC_SHA1) {
            String stringToSign = V1Signing.stringToSign(Limits.method(request), V1Signing.parameters(request));
            if (!usable || !Crypto.constantTimeEquals(V1Signing.sign(stringToSign, secret), fresh.signature())) {
                throw SignatureFailure.mismatch(stringToSign, null);
            }
            return;
        }
        Headers headers = Headers.of(request.headers());
        String declaredHash = headers.value(V3Signing.CONTENT_SHA256);
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (!Crypto.constantTimeEquals(Crypto.sha256Hex(body), declaredHash)) {
            throw SignatureFailure.invalid(V3Signing.CONTENT_SHA256, "it does not match the SHA-256 of the request body.");
        }
        Map<String, String> query = new Params().add(request.queryParams()).values();
        String canonical = V3Signing.canonicalRequest(Limits.method(request), Limits.path(request), query, headers,
                fresh.signedHeaders(), declaredHash);
        String stringToSign = V3Signing.stringToSign(canonical);
        if (!usable || !Crypto.constantTimeEquals(V3Signing.sign(stringToSign, secret), fresh.signature())) {
            throw SignatureFailure.mismatch(stringToSign, "Server canonical request is: " + canonical);
        }
    }

    /**
     * The AccessKey id the request claims, when its signature can be read at all (null otherwise):
     * what failed authentications are counted against before anything is verified.
     */
    public String claimedAccessKeyId(SignedRequest request) {
        try {
            return read(request).accessKeyId();
        } catch (SignatureFailure f) {
            return null;
        }
    }

    /** Detects the scheme and lets it read the request; no clock involved. */
    private static ParsedSignature read(SignedRequest request) {
        SignatureScheme scheme = SignatureScheme.detect(request).orElse(null);
        if (scheme == SignatureScheme.V1_HMAC_SHA1) {
            return V1Signing.parse(request);
        }
        if (scheme == SignatureScheme.V3_ACS3_HMAC_SHA256) {
            return V3Signing.parse(request);
        }
        String authorization = request == null ? null : SignatureScheme.header(request.headers(), "authorization");
        if (authorization != null && !authorization.isBlank()) {
            throw SignatureFailure.invalid("Authorization", "only the " + V3Signing.ALGORITHM + " algorithm is supported.");
        }
        throw SignatureFailure.missing(V1Signing.SIGNATURE);
    }
}
