package dev.triggerlayer.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The worked examples of docs/signing.md §7, in the form the HTTP layer would receive them. Each
 * getter returns fresh, mutable copies so tests can tamper freely.
 */
final class SigningVectors {

    /** All examples are signed at this instant. */
    static final Instant SIGNED_AT = Instant.parse("2024-05-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);

    static final String SECRET_A = "TestSecret0123456789abcdefghijk";
    static final String SECRET_B = "s3cr3t";

    /** One request as received: everything SignedRequest.fromRaw takes. */
    static final class Raw {
        String method;
        String path = "/";
        String query;
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body;

        Raw(String method, String query, byte[] body) {
            this.method = method;
            this.query = query;
            this.body = body;
        }

        Raw header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        SignedRequest request() {
            return SignedRequest.fromRaw(method, path, query, headers, body);
        }
    }

    // ---- V1-A: RunTriggerNode with signatureAlgorithm="v2" ----------------------------------------

    static final String V1A_QUERY = "AccessKeyId=LTAI5tTestAccessKeyId&Action=RunTriggerNode&Format=json"
            + "&Signature=3wk7WDItn8z0jzpQ8878bVluUYM%3D&SignatureMethod=HMAC-SHA1"
            + "&SignatureNonce=3f1c2a9e8b7d4c6a9e0f1b2c3d4e5f60&SignatureVersion=1.0"
            + "&Timestamp=2024-05-01T12%3A00%3A00Z&Version=2020-05-18";
    static final String V1A_BODY = "AppId=10001&BizDate=1714492800000&CycleTime=1714564800000&NodeId=700001234567";
    static final String V1A_STRING_TO_SIGN = "POST&%2F&AccessKeyId%3DLTAI5tTestAccessKeyId%26Action%3DRunTriggerNode"
            + "%26AppId%3D10001%26BizDate%3D1714492800000%26CycleTime%3D1714564800000%26Format%3Djson"
            + "%26NodeId%3D700001234567%26SignatureMethod%3DHMAC-SHA1"
            + "%26SignatureNonce%3D3f1c2a9e8b7d4c6a9e0f1b2c3d4e5f60%26SignatureVersion%3D1.0"
            + "%26Timestamp%3D2024-05-01T12%253A00%253A00Z%26Version%3D2020-05-18";
    static final String V1A_SIGNATURE = "3wk7WDItn8z0jzpQ8878bVluUYM=";

    static Raw v1a() {
        return new Raw("POST", V1A_QUERY, V1A_BODY.getBytes(StandardCharsets.UTF_8))
                .header("host", "dataworks.cn-shanghai.aliyuncs.com")
                .header("content-type", "application/x-www-form-urlencoded");
    }

    // ---- V1-B: GET, STS token, special characters, empty value --------------------------------------

    static final String V1B_QUERY = "AccessKeyId=STS.NTestKey&Action=DescribeThings&Empty=&Format=json"
            + "&Name=a+b*c%7Ed%2Fe%2Bf%3Dg%26h&SecurityToken=CAIS%2Btoken%2Fwith%3Dchars"
            + "&Signature=%2FYronsdYhK%2BCQd1CXzoOS7cwLy4%3D&SignatureMethod=HMAC-SHA1"
            + "&SignatureNonce=00000000000000000000000000000001&SignatureVersion=1.0"
            + "&Tag.1.Key=%E4%B8%AD%E6%96%87&Timestamp=2024-05-01T12%3A00%3A00Z&Version=2020-05-18&lower=x";
    static final String V1B_STRING_TO_SIGN = "GET&%2F&AccessKeyId%3DSTS.NTestKey%26Action%3DDescribeThings"
            + "%26Format%3Djson%26Name%3Da%2520b%252Ac~d%252Fe%252Bf%253Dg%2526h"
            + "%26SecurityToken%3DCAIS%252Btoken%252Fwith%253Dchars%26SignatureMethod%3DHMAC-SHA1"
            + "%26SignatureNonce%3D00000000000000000000000000000001%26SignatureVersion%3D1.0"
            + "%26Tag.1.Key%3D%25E4%25B8%25AD%25E6%2596%2587%26Timestamp%3D2024-05-01T12%253A00%253A00Z"
            + "%26Version%3D2020-05-18%26lower%3Dx";
    static final String V1B_SIGNATURE = "/YronsdYhK+CQd1CXzoOS7cwLy4=";

    static Raw v1b() {
        return new Raw("GET", V1B_QUERY, null).header("host", "127.0.0.1:8443");
    }

    // ---- V3-A: RunTriggerNode, default config -------------------------------------------------------

    static final String V3A_BODY = "NodeId=700001234567&CycleTime=1714564800000&AppId=10001&BizDate=1714492800000";
    static final String V3A_SIGNED_HEADERS = "content-type;host;x-acs-action;x-acs-content-sha256;"
            + "x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version";
    static final String V3A_CANONICAL_REQUEST = "POST\n/\n\n"
            + "content-type:application/x-www-form-urlencoded\n"
            + "host:dataworks.cn-shanghai.aliyuncs.com\n"
            + "x-acs-action:RunTriggerNode\n"
            + "x-acs-content-sha256:322e9559154806e9601d50ba55abf434a1eb969dca9e95e76de259dc1638ed1b\n"
            + "x-acs-credentials-provider:static_ak\n"
            + "x-acs-date:2024-05-01T12:00:00Z\n"
            + "x-acs-signature-nonce:3f1c2a9e8b7d4c6a9e0f1b2c3d4e5f60\n"
            + "x-acs-version:2020-05-18\n"
            + "\n"
            + V3A_SIGNED_HEADERS + "\n"
            + "322e9559154806e9601d50ba55abf434a1eb969dca9e95e76de259dc1638ed1b";
    static final String V3A_STRING_TO_SIGN =
            "ACS3-HMAC-SHA256\n244cb5c98a7bd46e3d185786fa4c1c77baafe4d56e5307abb2282fa6a3036a2f";
    static final String V3A_SIGNATURE = "ad497561c5bc4efbe0c73aeba8c885b2338bffda7a2a890060788502d93d4f20";
    static final String V3A_AUTHORIZATION = "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId,SignedHeaders="
            + V3A_SIGNED_HEADERS + ",Signature=" + V3A_SIGNATURE;

    /** Header names in the case a client might use; the gateway sees them in any case. */
    static Raw v3a() {
        return new Raw("POST", null, V3A_BODY.getBytes(StandardCharsets.UTF_8))
                .header("Host", "dataworks.cn-shanghai.aliyuncs.com")
                .header("x-acs-version", "2020-05-18")
                .header("x-acs-action", "RunTriggerNode")
                .header("user-agent", "AlibabaCloud (Linux; amd64) Java/17.0.10 tea-util/0.2.27 TeaDSL/1")
                .header("x-acs-date", "2024-05-01T12:00:00Z")
                .header("x-acs-signature-nonce", "3f1c2a9e8b7d4c6a9e0f1b2c3d4e5f60")
                .header("accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("x-acs-credentials-provider", "static_ak")
                .header("x-acs-content-sha256", "322e9559154806e9601d50ba55abf434a1eb969dca9e95e76de259dc1638ed1b")
                .header("Authorization", V3A_AUTHORIZATION);
    }

    // ---- V3-B: GET with query, STS, host with port, value trimming, empty body ----------------------

    static final String V3B_QUERY = "Name=a+b*c%7Ed%2Fe%2Bf&Empty=&Tag.1.Key=%E4%B8%AD%E6%96%87&lower=x";
    static final String V3B_CANONICAL_REQUEST = "GET\n/\n"
            + "Empty=&Name=a%20b%2Ac~d%2Fe%2Bf&Tag.1.Key=%E4%B8%AD%E6%96%87&lower=x\n"
            + "host:127.0.0.1:8443\n"
            + "x-acs-accesskey-id:STS.NTestKey\n"
            + "x-acs-action:DescribeThings\n"
            + "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            + "x-acs-credentials-provider:static_sts\n"
            + "x-acs-date:2024-05-01T12:00:00Z\n"
            + "x-acs-security-token:CAIS+token/with=chars\n"
            + "x-acs-signature-nonce:00000000000000000000000000000002\n"
            + "x-acs-version:2020-05-18\n"
            + "\n"
            + "host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;"
            + "x-acs-security-token;x-acs-signature-nonce;x-acs-version\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String V3B_STRING_TO_SIGN =
            "ACS3-HMAC-SHA256\n63bfcf06b72a024da8502eda9a36f4cc9138baf7e94e0ce60753bce3fc4fe5b9";
    static final String V3B_AUTHORIZATION = "ACS3-HMAC-SHA256 Credential=STS.NTestKey,SignedHeaders=host;"
            + "x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;"
            + "x-acs-security-token;x-acs-signature-nonce;x-acs-version,"
            + "Signature=c380ccbdd8cb01fd4d83111bdf0d06788fa4d86fc37f3e878872963f1f189f2b";

    /** The security token keeps the spaces the SDK held; canonicalisation must trim them. */
    static Raw v3b() {
        return new Raw("GET", V3B_QUERY, null)
                .header("host", "127.0.0.1:8443")
                .header("x-acs-version", "2020-05-18")
                .header("x-acs-action", "DescribeThings")
                .header("user-agent", "AlibabaCloud (Linux; amd64) Java/17.0.10 tea-util/0.2.27 TeaDSL/1")
                .header("x-acs-date", "2024-05-01T12:00:00Z")
                .header("x-acs-signature-nonce", "00000000000000000000000000000002")
                .header("accept", "application/json")
                .header("x-acs-credentials-provider", "static_sts")
                .header("x-acs-accesskey-id", "STS.NTestKey")
                .header("x-acs-security-token", "  CAIS+token/with=chars  ")
                .header("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                .header("authorization", V3B_AUTHORIZATION);
    }

    private SigningVectors() {
    }
}
