package dev.triggerlayer.gateway.rpc;

import java.util.Map;

/**
 * An error answer of the RPC endpoint: HTTP status, the cloud-style code (for example
 * {@code SignatureDoesNotMatch}) and a message; mapped to {@code {RequestId,HostId,Code,Message,Recommend}}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException missing(String parameter) {
        return new ApiException(400, "MissingParameter", "The input parameter \"" + parameter + "\" that is mandatory for processing this request is not supplied.");
    }

    /** Too many requests (or failed authentications): retry after the given milliseconds. */
    public static ApiException throttled(String message, long retryAfterMillis) {
        return new ApiException(400, "Throttling.User", message, Map.of("x-acs-retry-after", String.valueOf(retryAfterMillis)));
    }

    public static ApiException invalid(String parameter, String why) {
        return new ApiException(400, "InvalidParameter", "The parameter \"" + parameter + "\" is invalid: " + why);
    }
}
