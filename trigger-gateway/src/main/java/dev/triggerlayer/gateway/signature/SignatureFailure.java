package dev.triggerlayer.gateway.signature;

/**
 * A request whose signature cannot be accepted. {@link #code()} is the Alibaba Cloud error code the
 * SDK client receives as {@code Code} in the JSON error body (all of them are HTTP 400 by cloud
 * convention, docs/signing.md §5.2); the message is safe to return to that client and never contains
 * the AccessKey secret.
 *
 * <p>Unchecked so it can cross reactive lambdas. It captures no stack trace: it is thrown for every
 * rejected request, and capturing one would make rejecting a flood of bad requests needlessly costly.
 */
public final class SignatureFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The error codes this package produces. */
    public enum Code {
        /** A required parameter or header is absent or empty. */
        MISSING_PARAMETER("MissingParameter"),
        /** Malformed or unsupported input, duplicates, or x-acs-content-sha256 not matching the body. */
        INVALID_PARAMETER("InvalidParameter"),
        /** A V3 header that must be covered by the signature is not (or a signed header is absent). */
        INCOMPLETE_SIGNATURE("IncompleteSignature"),
        /** Timestamp / x-acs-date is not {@code yyyy-MM-dd'T'HH:mm:ss'Z'}. */
        INVALID_TIMESTAMP_FORMAT("InvalidTimeStamp.Format"),
        /** Timestamp / x-acs-date is outside the accepted window around server time. */
        INVALID_TIMESTAMP_EXPIRED("InvalidTimeStamp.Expired"),
        /** The recomputed signature differs from the one sent. */
        SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch");

        private final String value;

        Code(String value) {
            this.value = value;
        }

        /** The code exactly as Alibaba Cloud spells it, e.g. {@code InvalidTimeStamp.Expired}. */
        public String value() {
            return value;
        }
    }

    /** Longest piece of client input echoed in a message, so a huge value cannot bloat the response. */
    private static final int ECHO_LIMIT = 64;

    private final Code code;
    private final String parameter;
    private final String serverStringToSign;

    private SignatureFailure(Code code, String parameter, String message, String serverStringToSign) {
        super(message, null, false, false);
        this.code = code;
        this.parameter = parameter;
        this.serverStringToSign = serverStringToSign;
    }

    public Code code() {
        return code;
    }

    /** The parameter or header the failure is about, or null when it concerns no single one. */
    public String parameter() {
        return parameter;
    }

    /** Only for SignatureDoesNotMatch: the string to sign the server computed; otherwise null. */
    public String serverStringToSign() {
        return serverStringToSign;
    }

    @Override
    public String toString() {
        return code.value() + ": " + getMessage();
    }

    static SignatureFailure missing(String name) {
        return new SignatureFailure(Code.MISSING_PARAMETER, name,
                "The required parameter \"" + name + "\" is missing or empty.", null);
    }

    /** {@code name} may be null when the problem is not tied to one parameter. */
    static SignatureFailure invalid(String name, String reason) {
        String shown = echo(name);
        String message = shown == null ? reason : "The parameter \"" + shown + "\" is invalid: " + reason;
        return new SignatureFailure(Code.INVALID_PARAMETER, shown, message, null);
    }

    static SignatureFailure incomplete(String name, String reason) {
        return new SignatureFailure(Code.INCOMPLETE_SIGNATURE, name,
                "The request signature does not cover what it must: " + reason, null);
    }

    static SignatureFailure timestampFormat(String name) {
        return new SignatureFailure(Code.INVALID_TIMESTAMP_FORMAT, name,
                "The value of \"" + name + "\" is not a UTC time of the form yyyy-MM-ddTHH:mm:ssZ.", null);
    }

    static SignatureFailure expired(String name) {
        return new SignatureFailure(Code.INVALID_TIMESTAMP_EXPIRED, name,
                "The value of \"" + name + "\" is too far from the server time; the request has expired"
                        + " or the client clock is wrong.", null);
    }

    /**
     * Like the cloud, the message shows the server's string to sign so a client can diff it against its
     * own. {@code detail} carries extra material (the V3 canonical request); it may be null.
     */
    static SignatureFailure mismatch(String stringToSign, String detail) {
        StringBuilder message = new StringBuilder(
                "The request signature does not match the server's calculation. Check the AccessKey secret"
                        + " and the signing method. Server string to sign is: ").append(stringToSign);
        if (detail != null) {
            message.append(" ").append(detail);
        }
        return new SignatureFailure(Code.SIGNATURE_DOES_NOT_MATCH, null, message.toString(), stringToSign);
    }

    /** Client text shown back, truncated; null stays null. */
    static String echo(String text) {
        if (text == null || text.length() <= ECHO_LIMIT) {
            return text;
        }
        return text.substring(0, ECHO_LIMIT) + "...";
    }
}
