package dev.triggerlayer.gateway.signature;

import static dev.triggerlayer.gateway.signature.SigningVectors.CLOCK;
import static dev.triggerlayer.gateway.signature.SigningVectors.SECRET_A;
import static dev.triggerlayer.gateway.signature.SigningVectors.SECRET_B;
import static dev.triggerlayer.gateway.signature.SigningVectors.SIGNED_AT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triggerlayer.gateway.signature.SignatureFailure.Code;
import dev.triggerlayer.gateway.signature.SigningVectors.Raw;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The worked examples and test vectors of docs/signing.md, and the ways a request can fail them. */
class SignatureVerifierTest {

    private final SignatureVerifier verifier = new SignatureVerifier(CLOCK);

    // ---- the SDK's own unit-test values (docs/signing.md §7) ----------------------------------------

    @Test
    void reproducesTheSdkUnitTestVectors() {
        String v1 = V1Signing.stringToSign("GET", Map.of("query", "test", "body", "test"));
        assertEquals("XlUyV4sXjOuX5FnjUz9IF9tm5rU=", V1Signing.sign(v1, "secret"));

        String canonical = V3Signing.canonicalRequest("GET", "/", Map.of("test", "ok", "empty", ""),
                Headers.of(Map.of("x-acs-test", "http")), List.of("x-acs-test"),
                "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23");
        assertEquals("02e81f9f3cc8839151b0c7278024cbc4bfc9fa786085a0b8305f825f17b5dae7",
                V3Signing.sign(V3Signing.stringToSign(canonical), "secret"));
    }

    @Test
    void percentEncodesLikeTheSdk() {
        assertEquals("a%20b%2Ac~d%2Fe%2Bf%3Dg%26h", Percent.encode("a b*c~d/e+f=g&h"));
        assertEquals("%E4%B8%AD%E6%96%87", Percent.encode("中文"));
        assertEquals("AZaz09-_.~", Percent.encode("AZaz09-_.~"));
        assertEquals("%F0%9F%98%80%3A%25", Percent.encode("\uD83D\uDE00:%"));
        assertFailure(Code.INVALID_PARAMETER, null, () -> Percent.encode("x\uD800"));
    }

    // ---- V1 ---------------------------------------------------------------------------------------

    @Test
    void v1ExampleA_runTriggerNodeVerifies() {
        SignedRequest request = SigningVectors.v1a().request();
        assertEquals(SigningVectors.V1A_STRING_TO_SIGN, V1Signing.stringToSign("POST", V1Signing.parameters(request)));

        ParsedSignature parsed = verifier.parse(request);
        assertEquals(SignatureScheme.V1_HMAC_SHA1, parsed.scheme());
        assertEquals("LTAI5tTestAccessKeyId", parsed.accessKeyId());
        assertEquals("3f1c2a9e8b7d4c6a9e0f1b2c3d4e5f60", parsed.nonce());
        assertEquals(SIGNED_AT, parsed.timestamp());
        assertEquals(SigningVectors.V1A_SIGNATURE, parsed.signature());
        assertEquals("RunTriggerNode", parsed.action());
        assertEquals("2020-05-18", parsed.version());
        assertNull(parsed.securityToken());
        assertTrue(parsed.signedHeaders().isEmpty());
        verifier.verify(request, parsed, SECRET_A);
    }

    @Test
    void v1ExampleB_specialCharactersAndStsVerify() {
        SignedRequest request = SigningVectors.v1b().request();
        assertEquals(SigningVectors.V1B_STRING_TO_SIGN, V1Signing.stringToSign("GET", V1Signing.parameters(request)));
        ParsedSignature parsed = verifier.parse(request);
        assertEquals("STS.NTestKey", parsed.accessKeyId());
        assertEquals("CAIS+token/with=chars", parsed.securityToken());
        assertEquals(SigningVectors.V1B_SIGNATURE, parsed.signature());
        verifier.verify(request, parsed, SECRET_B);
    }

    @Test
    void v1SignatureMayArriveInTheBody() {
        Raw raw = SigningVectors.v1a();
        raw.query = raw.query.replace("&Signature=3wk7WDItn8z0jzpQ8878bVluUYM%3D", "");
        raw.body = (SigningVectors.V1A_BODY + "&Signature=3wk7WDItn8z0jzpQ8878bVluUYM%3D").getBytes(StandardCharsets.UTF_8);
        SignedRequest request = raw.request();
        verifier.verify(request, verifier.parse(request), SECRET_A);
    }

    @Test
    void v1WrongSecretIsAMismatchThatShowsTheStringToSignButNotTheSecret() {
        SignedRequest request = SigningVectors.v1a().request();
        ParsedSignature parsed = verifier.parse(request);
        SignatureFailure failure = assertFailure(Code.SIGNATURE_DOES_NOT_MATCH, null,
                () -> verifier.verify(request, parsed, "not-" + SECRET_A));
        assertEquals(SigningVectors.V1A_STRING_TO_SIGN, failure.serverStringToSign());
        assertTrue(failure.getMessage().contains(SigningVectors.V1A_STRING_TO_SIGN));
        assertFalse(failure.getMessage().contains(SECRET_A));
    }

    @Test
    void v1MissingOrEmptySecretNeverMatches() {
        SignedRequest request = SigningVectors.v1a().request();
        ParsedSignature parsed = verifier.parse(request);
        assertFailure(Code.SIGNATURE_DOES_NOT_MATCH, null, () -> verifier.verify(request, parsed, null));
        assertFailure(Code.SIGNATURE_DOES_NOT_MATCH, null, () -> verifier.verify(request, parsed, ""));
    }

    @Test
    void v1TamperedParametersMismatch() {
        Raw query = SigningVectors.v1a();
        query.query = query.query.replace("Action=RunTriggerNode", "Action=RunTriggerNodes");
        assertMismatch(query.request(), SECRET_A);

        Raw body = SigningVectors.v1a();
        body.body = SigningVectors.V1A_BODY.replace("NodeId=700001234567", "NodeId=700001234568")
                .getBytes(StandardCharsets.UTF_8);
        assertMismatch(body.request(), SECRET_A);

        Raw added = SigningVectors.v1a();
        added.body = (SigningVectors.V1A_BODY + "&Extra=1").getBytes(StandardCharsets.UTF_8);
        assertMismatch(added.request(), SECRET_A);

        Raw method = SigningVectors.v1a();
        method.method = "GET";
        assertMismatch(method.request(), SECRET_A);
    }

    @Test
    void v1EmptyValuesAreNotSigned() {
        Raw raw = SigningVectors.v1a();
        raw.query += "&RegionId=";
        SignedRequest request = raw.request();
        verifier.verify(request, verifier.parse(request), SECRET_A);
    }

    @Test
    void v1MissingSigningParametersAreNamed() {
        for (String name : List.of("Signature", "AccessKeyId", "SignatureMethod", "SignatureVersion", "Timestamp",
                "SignatureNonce", "Action", "Version")) {
            Raw removed = SigningVectors.v1a();
            removed.query = dropParameter(removed.query, name);
            assertFailure(Code.MISSING_PARAMETER, name, () -> verifier.parse(removed.request()));

            Raw emptied = SigningVectors.v1a();
            emptied.query = dropParameter(emptied.query, name) + "&" + name + "=";
            assertFailure(Code.MISSING_PARAMETER, name, () -> verifier.parse(emptied.request()));
        }
    }

    @Test
    void noSignatureAtAllIsAMissingSignature() {
        Raw raw = SigningVectors.v1a();
        raw.query = dropParameter(raw.query, "Signature");
        assertEquals(Optional.empty(), SignatureScheme.detect(raw.request()));
        assertFailure(Code.MISSING_PARAMETER, "Signature", () -> verifier.parse(raw.request()));
        assertFailure(Code.MISSING_PARAMETER, "Signature",
                () -> verifier.parse(new SignedRequest(null, null, null, null, null, null)));
        assertFailure(Code.MISSING_PARAMETER, "Signature", () -> verifier.parse(null));
    }

    @Test
    void v1UnsupportedMethodOrVersionIsInvalid() {
        Raw method = SigningVectors.v1a();
        method.query = method.query.replace("SignatureMethod=HMAC-SHA1", "SignatureMethod=HMAC-SHA256");
        assertFailure(Code.INVALID_PARAMETER, "SignatureMethod", () -> verifier.parse(method.request()));

        Raw version = SigningVectors.v1a();
        version.query = version.query.replace("SignatureVersion=1.0", "SignatureVersion=2.0");
        assertFailure(Code.INVALID_PARAMETER, "SignatureVersion", () -> verifier.parse(version.request()));
    }

    @Test
    void v1DuplicateParametersAreRejected() {
        Raw acrossSources = SigningVectors.v1a();
        acrossSources.query += "&AppId=10001";
        assertFailure(Code.INVALID_PARAMETER, "AppId", () -> verifier.parse(acrossSources.request()));

        Raw inQuery = SigningVectors.v1a();
        inQuery.query += "&Timestamp=2024-05-01T12%3A00%3A00Z";
        assertFailure(Code.INVALID_PARAMETER, "Timestamp", () -> verifier.parse(inQuery.request()));

        Raw signatureTwice = SigningVectors.v1a();
        signatureTwice.body = (SigningVectors.V1A_BODY + "&Signature=x").getBytes(StandardCharsets.UTF_8);
        assertFailure(Code.INVALID_PARAMETER, "Signature", () -> verifier.parse(signatureTwice.request()));
    }

    @Test
    void v1MalformedTimestampsAreFormatErrors() {
        for (String bad : List.of("2024-05-01+12%3A00%3A00Z", "2024-05-01T12%3A00%3A00", "2024-02-30T12%3A00%3A00Z",
                "2024-05-01T12%3A00%3A00.000Z", "1714564800", "2024-05-01T24%3A00%3A00Z", "%EF%BC%92024-05-01T12%3A00%3A00Z")) {
            Raw raw = SigningVectors.v1a();
            raw.query = raw.query.replace("Timestamp=2024-05-01T12%3A00%3A00Z", "Timestamp=" + bad);
            assertFailure(Code.INVALID_TIMESTAMP_FORMAT, "Timestamp", () -> verifier.parse(raw.request()));
        }
    }

    @Test
    void expiredTimestampsAreRejectedInBothDirections() {
        Duration justOutside = SignatureVerifier.DEFAULT_WINDOW.plusSeconds(1);
        for (Instant now : List.of(SIGNED_AT.plus(justOutside), SIGNED_AT.minus(justOutside))) {
            SignatureVerifier shifted = new SignatureVerifier(Clock.fixed(now, ZoneOffset.UTC));
            assertFailure(Code.INVALID_TIMESTAMP_EXPIRED, "Timestamp", () -> shifted.parse(SigningVectors.v1a().request()));
            assertFailure(Code.INVALID_TIMESTAMP_EXPIRED, "x-acs-date", () -> shifted.parse(SigningVectors.v3a().request()));
        }
        for (Instant now : List.of(SIGNED_AT.plus(SignatureVerifier.DEFAULT_WINDOW),
                SIGNED_AT.minus(SignatureVerifier.DEFAULT_WINDOW))) {
            SignatureVerifier edge = new SignatureVerifier(Clock.fixed(now, ZoneOffset.UTC));
            SignedRequest request = SigningVectors.v3a().request();
            edge.verify(request, edge.parse(request), SECRET_A);
        }
        SignatureVerifier narrow = new SignatureVerifier(Clock.offset(CLOCK, Duration.ofSeconds(61)), Duration.ofMinutes(1));
        assertFailure(Code.INVALID_TIMESTAMP_EXPIRED, "Timestamp", () -> narrow.parse(SigningVectors.v1b().request()));
    }

    // ---- V3 ---------------------------------------------------------------------------------------

    @Test
    void v3ExampleA_runTriggerNodeVerifies() {
        SignedRequest request = SigningVectors.v3a().request();
        ParsedSignature parsed = verifier.parse(request);
        assertEquals(SignatureScheme.V3_ACS3_HMAC_SHA256, parsed.scheme());
        assertEquals("LTAI5tTestAccessKeyId", parsed.accessKeyId());
        assertEquals("3f1c2a9e8b7d4c6a9e0f1b2c3d4e5f60", parsed.nonce());
        assertEquals(SIGNED_AT, parsed.timestamp());
        assertEquals(SigningVectors.V3A_SIGNATURE, parsed.signature());
        assertEquals(List.of(SigningVectors.V3A_SIGNED_HEADERS.split(";")), parsed.signedHeaders());
        assertEquals("RunTriggerNode", parsed.action());
        assertEquals("2020-05-18", parsed.version());
        assertNull(parsed.securityToken());

        String canonical = V3Signing.canonicalRequest("POST", "/", Map.of(), Headers.of(request.headers()),
                parsed.signedHeaders(), "322e9559154806e9601d50ba55abf434a1eb969dca9e95e76de259dc1638ed1b");
        assertEquals(SigningVectors.V3A_CANONICAL_REQUEST, canonical);
        assertEquals(SigningVectors.V3A_STRING_TO_SIGN, V3Signing.stringToSign(canonical));
        verifier.verify(request, parsed, SECRET_A);
    }

    @Test
    void v3ExampleB_queryStsPortAndTrimmingVerify() {
        SignedRequest request = SigningVectors.v3b().request();
        ParsedSignature parsed = verifier.parse(request);
        assertEquals("STS.NTestKey", parsed.accessKeyId());
        assertEquals("CAIS+token/with=chars", parsed.securityToken());
        String canonical = V3Signing.canonicalRequest("GET", "/", new Params().add(request.queryParams()).values(),
                Headers.of(request.headers()), parsed.signedHeaders(),
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertEquals(SigningVectors.V3B_CANONICAL_REQUEST, canonical);
        assertEquals(SigningVectors.V3B_STRING_TO_SIGN, V3Signing.stringToSign(canonical));
        verifier.verify(request, parsed, SECRET_B);
    }

    @Test
    void v3WrongSecretIsAMismatchThatShowsTheCanonicalRequest() {
        SignedRequest request = SigningVectors.v3a().request();
        ParsedSignature parsed = verifier.parse(request);
        SignatureFailure failure = assertFailure(Code.SIGNATURE_DOES_NOT_MATCH, null,
                () -> verifier.verify(request, parsed, SECRET_B));
        assertEquals(SigningVectors.V3A_STRING_TO_SIGN, failure.serverStringToSign());
        assertTrue(failure.getMessage().contains(SigningVectors.V3A_CANONICAL_REQUEST));
        assertFalse(failure.getMessage().contains(SECRET_B));
        assertFailure(Code.SIGNATURE_DOES_NOT_MATCH, null, () -> verifier.verify(request, parsed, null));
    }

    @Test
    void v3TamperedBodyFailsTheContentHash() {
        Raw raw = SigningVectors.v3a();
        raw.body = SigningVectors.V3A_BODY.replace("10001", "10002").getBytes(StandardCharsets.UTF_8);
        SignedRequest request = raw.request();
        ParsedSignature parsed = verifier.parse(request);
        assertFailure(Code.INVALID_PARAMETER, "x-acs-content-sha256", () -> verifier.verify(request, parsed, SECRET_A));
    }

    @Test
    void v3TamperedSignedMaterialMismatches() {
        Raw body = SigningVectors.v3a();
        body.body = SigningVectors.V3A_BODY.replace("10001", "10002").getBytes(StandardCharsets.UTF_8);
        body.header("x-acs-content-sha256", Crypto.sha256Hex(body.body));
        assertMismatch(body.request(), SECRET_A);

        Raw action = SigningVectors.v3a();
        action.header("x-acs-action", "DeleteEverything");
        assertMismatch(action.request(), SECRET_A);

        Raw host = SigningVectors.v3a();
        host.header("Host", "evil.example.com");
        assertMismatch(host.request(), SECRET_A);

        Raw query = SigningVectors.v3a();
        query.query = "NodeId=1";
        assertMismatch(query.request(), SECRET_A);

        Raw path = SigningVectors.v3a();
        path.path = "/other";
        assertMismatch(path.request(), SECRET_A);

        Raw value = SigningVectors.v3b();
        value.query = value.query.replace("lower=x", "lower=y");
        assertMismatch(value.request(), SECRET_B);
    }

    @Test
    void v3UnsignedHeadersDoNotMatter() {
        Raw raw = SigningVectors.v3a();
        raw.header("user-agent", "something else").header("content-length", "77").header("accept-encoding", "gzip");
        SignedRequest request = raw.request();
        verifier.verify(request, verifier.parse(request), SECRET_A);
    }

    @Test
    void v3MissingRequiredHeadersAreNamed() {
        for (String name : List.of("x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-action",
                "x-acs-version", "Host")) {
            Raw raw = SigningVectors.v3a();
            raw.headers.remove(name);
            assertFailure(Code.MISSING_PARAMETER, name.toLowerCase(), () -> verifier.parse(raw.request()));
        }
    }

    @Test
    void v3RequiredHeadersMustBeSigned() {
        for (String name : List.of("host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "content-type",
                "x-acs-credentials-provider")) {
            Raw raw = SigningVectors.v3a();
            raw.header("Authorization", SigningVectors.V3A_AUTHORIZATION
                    .replace("SignedHeaders=" + name + ";", "SignedHeaders=")
                    .replace(";" + name + ";", ";"));
            assertFailure(Code.INCOMPLETE_SIGNATURE, name, () -> verifier.parse(raw.request()));
        }
        Raw extra = SigningVectors.v3a();
        extra.header("X-Acs-Injected", "1");
        assertFailure(Code.INCOMPLETE_SIGNATURE, "x-acs-injected", () -> verifier.parse(extra.request()));

        Raw absent = SigningVectors.v3a();
        absent.headers.remove("x-acs-credentials-provider");
        assertFailure(Code.INCOMPLETE_SIGNATURE, "x-acs-credentials-provider", () -> verifier.parse(absent.request()));
    }

    @Test
    void v3MalformedAuthorizationIsInvalid() {
        String sig = ",Signature=" + SigningVectors.V3A_SIGNATURE;
        String signed = ",SignedHeaders=" + SigningVectors.V3A_SIGNED_HEADERS;
        List<String> malformed = new ArrayList<>(List.of(
                "ACS3-HMAC-SHA256",
                "ACS3-HMAC-SHA256 ",
                "ACS3-HMAC-SHA256Credential=LTAI5tTestAccessKeyId" + signed + sig,
                "ACS3-HMAC-SHA256 LTAI5tTestAccessKeyId" + signed + sig,
                "ACS3-HMAC-SHA256 Credential=" + signed + sig,
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + sig,
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed,
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed + sig + ",Credential=LTAI5tTestAccessKeyId",
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed + sig + ",Region=cn",
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed + sig + ",",
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed + sig.replace("ad49", "AD49"),
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed + sig.substring(0, sig.length() - 1),
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed.replace("host", "Host") + sig,
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed.replace("content-type;host", "host;content-type") + sig,
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed.replace("host;", "host;host;") + sig,
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId" + signed.replace("host;", "host;;") + sig,
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId,SignedHeaders=authorization;" + SigningVectors.V3A_SIGNED_HEADERS + sig,
                "ACS3-HMAC-SHA256 Credential=" + "A".repeat(65) + signed + sig,
                "ACS3-HMAC-SHA256 Credential=" + " ".repeat(5000) + "LTAI5tTestAccessKeyId" + signed + sig));
        for (String authorization : malformed) {
            Raw raw = SigningVectors.v3a();
            raw.header("Authorization", authorization);
            assertFailure(Code.INVALID_PARAMETER, "Authorization", () -> verifier.parse(raw.request()));
        }
        Raw otherAlgorithm = SigningVectors.v3a();
        otherAlgorithm.header("Authorization", SigningVectors.V3A_AUTHORIZATION.replace("SHA256 ", "SM3 "));
        assertEquals(Optional.empty(), SignatureScheme.detect(otherAlgorithm.request()));
        assertFailure(Code.INVALID_PARAMETER, "Authorization", () -> verifier.parse(otherAlgorithm.request()));
    }

    @Test
    void v3ToleratesSpacesAroundAuthorizationFields() {
        Raw raw = SigningVectors.v3a();
        raw.header("Authorization", SigningVectors.V3A_AUTHORIZATION.replace(",", ", "));
        SignedRequest request = raw.request();
        verifier.verify(request, verifier.parse(request), SECRET_A);
    }

    @Test
    void v3MalformedHeaderValuesAreRejected() {
        Raw date = SigningVectors.v3a();
        date.header("x-acs-date", "Wed, 01 May 2024 12:00:00 GMT");
        assertFailure(Code.INVALID_TIMESTAMP_FORMAT, "x-acs-date", () -> verifier.parse(date.request()));

        Raw hash = SigningVectors.v3a();
        hash.header("x-acs-content-sha256", "322E9559154806E9601D50BA55ABF434A1EB969DCA9E95E76DE259DC1638ED1B");
        assertFailure(Code.INVALID_PARAMETER, "x-acs-content-sha256", () -> verifier.parse(hash.request()));

        Raw lineBreak = SigningVectors.v3a();
        lineBreak.header("x-acs-credentials-provider", "static_ak\nx-acs-action:Other");
        assertFailure(Code.INVALID_PARAMETER, "x-acs-credentials-provider", () -> verifier.parse(lineBreak.request()));

        Raw nonce = SigningVectors.v3a();
        nonce.header("x-acs-signature-nonce", "n".repeat(Limits.MAX_NONCE + 1));
        assertFailure(Code.INVALID_PARAMETER, "x-acs-signature-nonce", () -> verifier.parse(nonce.request()));

        Raw caseTwins = SigningVectors.v3a();
        caseTwins.header("host", "other.example.com");
        assertFailure(Code.INVALID_PARAMETER, "host", () -> verifier.parse(caseTwins.request()));
        assertFailure(Code.INVALID_PARAMETER, "host", caseTwins::request);
    }

    @Test
    void v3DuplicateQueryParametersAreRejected() {
        Raw raw = SigningVectors.v3b();
        raw.query += "&lower=x";
        assertFailure(Code.INVALID_PARAMETER, "lower", () -> verifier.parse(raw.request()));
    }

    // ---- both -------------------------------------------------------------------------------------

    @Test
    void detectsTheClaimedScheme() {
        assertEquals(Optional.of(SignatureScheme.V1_HMAC_SHA1), SignatureScheme.detect(SigningVectors.v1a().request()));
        assertEquals(Optional.of(SignatureScheme.V3_ACS3_HMAC_SHA256), SignatureScheme.detect(SigningVectors.v3a().request()));
        assertEquals(Optional.empty(), SignatureScheme.detect(null));
        assertEquals(Optional.empty(), SignatureScheme.detect(new SignedRequest(null, null, null, null, null, null)));
        Map<String, List<String>> form = new TreeMap<>(Map.of("Signature", List.of("x")));
        assertEquals(Optional.of(SignatureScheme.V1_HMAC_SHA1),
                SignatureScheme.detect(new SignedRequest("POST", "/", null, form, Map.of(), null)));
    }

    @Test
    void aParsedSignatureOnlyVouchesForItsOwnRequest() {
        ParsedSignature fromA = verifier.parse(SigningVectors.v1a().request());
        SignedRequest other = SigningVectors.v1b().request();
        assertFailure(Code.INVALID_PARAMETER, null, () -> verifier.verify(other, fromA, SECRET_A));
        assertFailure(Code.INVALID_PARAMETER, null, () -> verifier.verify(other, null, SECRET_B));
    }

    @Test
    void fromRawRejectsBrokenEncodings() {
        for (String query : List.of("a=%", "a=%2", "a=%zz", "a=%E4", "a=%C0%80", "a=%ED%A0%80", "%=1")) {
            Raw raw = SigningVectors.v1a();
            raw.query = raw.query + "&" + query;
            assertFailure(Code.INVALID_PARAMETER, null, raw::request);
        }
        Raw body = SigningVectors.v1a();
        body.body = new byte[] {'a', '=', (byte) 0xFF};
        assertFailure(Code.INVALID_PARAMETER, null, body::request);

        Raw surrogate = SigningVectors.v1a();
        surrogate.query = surrogate.query + "&a=\uD800";
        assertFailure(Code.INVALID_PARAMETER, null, surrogate::request);
    }

    @Test
    void fromRawDecodesLikeAnHtmlForm() {
        SignedRequest request = SignedRequest.fromRaw("GET", "/", "a=1+2&b&&c=%7e%2B&d=x=y&e=", Map.of(), null);
        assertEquals(Map.of("a", List.of("1 2"), "b", List.of(""), "c", List.of("~+"), "d", List.of("x=y"),
                "e", List.of("")), request.queryParams());
        assertEquals(Map.of(), request.formParams());
    }

    @Test
    void oversizedInputIsRefusedCheaply() {
        Raw value = SigningVectors.v1a();
        value.body = (SigningVectors.V1A_BODY + "&Big=" + "x".repeat(Limits.MAX_SIGNED_CHARS)).getBytes(StandardCharsets.UTF_8);
        assertFailure(Code.INVALID_PARAMETER, null, () -> verifier.parse(value.request()));

        Raw many = SigningVectors.v1a();
        StringBuilder query = new StringBuilder(many.query);
        for (int i = 0; i < Limits.MAX_PARAMETERS; i++) {
            query.append("&P").append(i).append("=1");
        }
        many.query = query.toString();
        assertFailure(Code.INVALID_PARAMETER, null, many::request);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Parses, which must succeed, then expects verify to report a mismatch. */
    private void assertMismatch(SignedRequest request, String secret) {
        ParsedSignature parsed = verifier.parse(request);
        assertFailure(Code.SIGNATURE_DOES_NOT_MATCH, null, () -> verifier.verify(request, parsed, secret));
    }

    /** @param parameter expected {@link SignatureFailure#parameter()}; null means "not checked" */
    static SignatureFailure assertFailure(Code code, String parameter, Executable action) {
        SignatureFailure failure = assertThrows(SignatureFailure.class, action);
        assertEquals(code, failure.code(), failure::toString);
        if (parameter != null) {
            assertEquals(parameter, failure.parameter(), failure::toString);
        }
        return failure;
    }

    private static String dropParameter(String query, String name) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&")) {
            if (!pair.startsWith(name + "=")) {
                out.append(out.length() == 0 ? "" : "&").append(pair);
            }
        }
        return out.toString();
    }
}
