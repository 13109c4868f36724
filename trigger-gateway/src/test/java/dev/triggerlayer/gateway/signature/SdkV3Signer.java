package dev.triggerlayer.gateway.signature;

import com.aliyun.tea.TeaRequest;

import java.util.HashMap;
import java.util.Map;

/**
 * Signs V3 (ACS3-HMAC-SHA256) requests with the official SDK's own utility, for tests that need
 * requests no SDK client would send (signed for another host, with extra unsigned parts); it
 * shares no canonicalisation code with the gateway.
 */
public final class SdkV3Signer {

    private SdkV3Signer() {
    }

    /**
     * The headers of a request signed for {@code host}: {@code extra} (x-acs-action, x-acs-version,
     * x-acs-date, x-acs-signature-nonce, ...) plus host, the body hash and Authorization.
     */
    public static Map<String, String> headers(String method, String path, Map<String, String> query, String host,
                                              Map<String, String> extra, byte[] body, String accessKeyId, String secret) {
        try {
            TeaRequest request = TeaRequest.create();
            request.method = method;
            request.pathname = path;
            request.query = new HashMap<>(query);
            request.headers = new HashMap<>(extra);
            request.headers.put("host", host);
            String hash = Crypto.sha256Hex(body);
            request.headers.put("x-acs-content-sha256", hash);
            request.headers.put("Authorization",
                    com.aliyun.openapiutil.Client.getAuthorization(request, "ACS3-HMAC-SHA256", hash, accessKeyId, secret));
            return request.headers;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
