package dev.triggerlayer.gateway.signature;

import java.time.Instant;
import java.util.List;

/**
 * What {@link SignatureVerifier#parse} read from a request, enough to look up the secret and record
 * the nonce before {@link SignatureVerifier#verify} checks the signature itself.
 *
 * @param scheme        which signature the request carries
 * @param accessKeyId   V1 {@code AccessKeyId} / V3 {@code Credential}
 * @param nonce         V1 {@code SignatureNonce} / V3 {@code x-acs-signature-nonce}
 * @param timestamp     V1 {@code Timestamp} / V3 {@code x-acs-date}
 * @param signature     Base64 (V1) or lower-case hex (V3), as sent
 * @param signedHeaders V3 SignedHeaders in order; empty for V1
 * @param action        V1 {@code Action} / V3 {@code x-acs-action}
 * @param version       API version: V1 {@code Version} / V3 {@code x-acs-version}
 * @param securityToken STS token (V1 {@code SecurityToken} / V3 {@code x-acs-security-token}), or
 *                      null; when set the caller must validate it or reject STS credentials
 */
public record ParsedSignature(SignatureScheme scheme,
                              String accessKeyId,
                              String nonce,
                              Instant timestamp,
                              String signature,
                              List<String> signedHeaders,
                              String action,
                              String version,
                              String securityToken) {

    public ParsedSignature {
        signedHeaders = signedHeaders == null ? List.of() : List.copyOf(signedHeaders);
    }
}
