package dev.triggerlayer.cli;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaRetryableException;
import com.aliyun.tea.TeaUnretryableException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * One signed RPC call through the official SDK ({@code com.aliyun:tea-openapi}), exactly as the
 * cloud SDKs make it: V1 is the SDK's {@code signatureAlgorithm=v2} (HMAC-SHA1), V3 its default
 * (ACS3-HMAC-SHA256). The SDK's own retries stay off: the exit code tells the caller to retry.
 */
final class GatewayCall {

    /** Documented gateway codes that mean "the outcome is not known yet / try later" (docs/errors.md). */
    private static final Set<String> RETRYABLE_CODES = Set.of("ServiceUnavailable", "Throttling.User", "InternalError");

    enum Signature { v1, v3 }

    record Request(String action, String version, Map<String, Object> parameters) {
    }

    record AccessKey(String id, String secret) {
        @Override
        public String toString() {
            return "AccessKey[" + id + "]";
        }
    }

    private GatewayCall() {
    }

    static Outcome send(Endpoint endpoint, AccessKey key, Signature signature, Duration timeout, String userAgent, Request request) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<String, ?> response;
        try {
            Config config = new Config().setAccessKeyId(key.id()).setAccessKeySecret(key.secret())
                    .setEndpoint(endpoint.authority()).setProtocol(endpoint.protocol())
                    .setConnectTimeout(millis).setReadTimeout(millis).setUserAgent(userAgent);
            if (signature == Signature.v1) {
                config.setSignatureAlgorithm("v2");
            }
            Params params = new Params().setAction(request.action()).setVersion(request.version()).setProtocol(endpoint.protocol())
                    .setMethod("POST").setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
            RuntimeOptions runtime = new RuntimeOptions().setAutoretry(false).setConnectTimeout(millis).setReadTimeout(millis);
            response = new Client(config).callApi(params, new OpenApiRequest().setBody(request.parameters()), runtime);
        } catch (TeaRetryableException | TeaUnretryableException e) {
            return transport(e);
        } catch (TeaException e) {
            return refusal(e);
        } catch (Exception e) {
            return Outcome.failure(Outcome.RETRYABLE, "InvalidResponse", "the gateway's answer could not be read: " + describe(e), null, null);
        }
        Object body = response.get("body");
        if (!(body instanceof Map<?, ?> map)) {
            return Outcome.failure(Outcome.RETRYABLE, "InvalidResponse", "the gateway answered without a JSON object", null, status(response.get("statusCode")));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) map;
        Object success = answer.get("Success");
        if (Boolean.TRUE.equals(success) || "true".equals(success)) {
            return Outcome.success(answer);
        }
        if (Boolean.FALSE.equals(success) || "false".equals(success)) {
            Object code = answer.containsKey("Code") ? answer.get("Code") : answer.getOrDefault("ErrorCode", "Unsuccessful");
            Object message = answer.containsKey("Message") ? answer.get("Message") : answer.get("ErrorMessage");
            return Outcome.failure(Outcome.REFUSED, String.valueOf(code), message == null ? null : String.valueOf(message),
                    answer.get("RequestId"), status(response.get("statusCode")));
        }
        return Outcome.failure(Outcome.RETRYABLE, "InvalidResponse", "the gateway's answer has no Success field", answer.get("RequestId"),
                status(response.get("statusCode")));
    }

    /** An HTTP 4xx/5xx with a JSON body: the SDK's exception carries the gateway's Code, and its body. */
    private static Outcome refusal(TeaException e) {
        Map<String, Object> data = e.getData() == null ? Map.of() : e.getData();
        Integer status = status(data.get("statusCode"));
        if (status == null) {
            status = e.getStatusCode();
        }
        String code = e.getCode() == null || e.getCode().equals("null") ? null : e.getCode();
        if (code == null) {
            // Not an answer of the gateway (e.g. the SDK refused before sending): unknown outcome.
            return Outcome.failure(Outcome.RETRYABLE, "InvalidResponse", e.getMessage(), data.get("RequestId"), status);
        }
        Object message = data.containsKey("Message") ? data.get("Message") : data.get("message");
        Object requestId = data.containsKey("RequestId") ? data.get("RequestId") : data.get("requestId");
        boolean retryable = RETRYABLE_CODES.contains(code) || code.startsWith("Throttling") || (status != null && status >= 500);
        return Outcome.failure(retryable ? Outcome.RETRYABLE : Outcome.REFUSED, code, message == null ? null : String.valueOf(message),
                requestId, status);
    }

    /** No HTTP answer: refused connection, unknown host, reset, TLS failure or timeout. */
    private static Outcome transport(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException) {
                return Outcome.failure(Outcome.RETRYABLE, "Timeout", "no answer in time: " + describe(t), null, null);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Outcome.failure(Outcome.RETRYABLE, "TransportError", describe(root), null, null);
    }

    private static Integer status(Object v) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s && s.matches("[0-9]{3}")) {
            return Integer.valueOf(s);
        }
        return null;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
