package dev.triggerlayer.gateway.auth;

import dev.triggerlayer.kit.crypto.SealedSecrets;
import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.gateway.directory.Directory;
import dev.triggerlayer.gateway.rpc.ApiException;
import dev.triggerlayer.gateway.signature.ParsedSignature;
import dev.triggerlayer.gateway.signature.SignatureFailure;
import dev.triggerlayer.gateway.signature.SignatureVerifier;
import dev.triggerlayer.gateway.signature.SignedRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Map;

/**
 * Authenticates a signed request: signature syntax and timestamp window, the AccessKey (known,
 * enabled), the signature itself (constant-time), then the nonce (once per key across replicas).
 * The nonce is claimed last so that a forged request cannot burn a legitimate client's nonce.
 * Every failure counts against the client address and the AccessKey id the request named; while
 * either has failed too often, requests are refused before any signature is computed.
 */
@ApplicationScoped
public class Authenticator {

    private final SignatureVerifier verifier;
    private final Directory directory;
    private final SealedSecrets secrets;
    private final NonceStore nonces;
    private final GatewayConfig config;
    private final Endpoints endpoints;
    private final FailedAuthLimiter failures;

    public Authenticator(Clock clock, GatewayConfig config, Directory directory, NonceStore nonces, Endpoints endpoints,
                         FailedAuthLimiter failures) {
        this.failures = failures;
        this.verifier = new SignatureVerifier(clock, config.timestampWindow());
        this.directory = directory;
        // Open-only: the gateway never seals; the registry seals the secrets on its feed (contracts/registry-feed.md).
        this.secrets = SealedSecrets.openOnly("gateway.registry-feed", config.registryFeed().keys());
        this.nonces = nonces;
        this.config = config;
        this.endpoints = endpoints;
    }

    /**
     * Checks the signature, the timestamp and the key, and that what was signed is addressed to
     * this gateway (V3 signs the host). Claims no nonce: the caller throttles first, so a throttled
     * request leaves nothing behind.
     */
    public Verified verify(SignedRequest request, String clientAddress) {
        String claimedKey = verifier.claimedAccessKeyId(request);
        long wait = failures.waitMillis(claimedKey, clientAddress);
        if (wait > 0) {
            throw ApiException.throttled("Too many failed authentications from this address or for this AccessKey; retry later.", wait);
        }
        try {
            return verifyOnce(request);
        } catch (ApiException e) {
            if (e.status() < 500) {
                failures.failed(claimedKey, clientAddress);
            }
            throw e;
        }
    }

    private Verified verifyOnce(SignedRequest request) {
        try {
            ParsedSignature parsed = verifier.parse(request);
            if (parsed.securityToken() != null) {
                // Accepting and ignoring an STS token would let a request claim a role it was never checked for.
                throw new ApiException(400, "InvalidSecurityToken.NotSupported",
                        "STS security tokens are not supported by this endpoint; sign with an AccessKey.");
            }
            Directory.AccessKey key = directory.accessKey(parsed.accessKeyId());
            if (key == null) {
                throw new ApiException(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
            }
            if (!key.enabled()) {
                throw new ApiException(400, "InvalidAccessKeyId.Inactive", "Specified access key is disabled.");
            }
            String secret = secrets.tryOpenBase64(key.secretKeyId(), key.sealedSecret(), key.id()).orElse(null);
            if (secret == null) {
                // The feed key that sealed it is not configured here: an operator problem, not the client's.
                throw new ApiException(503, "ServiceUnavailable", "The gateway cannot verify this AccessKey right now; try again later.");
            }
            verifier.verify(request, parsed, secret);
            endpoints.check(parsed, request);
            return new Verified(new Caller(key.id(), key.tenantId(), key.userId()), parsed);
        } catch (SignatureFailure f) {
            throw fromSignature(f);
        }
    }

    /** Claims the verified request's nonce (shared by all replicas); a second use is refused. */
    public Uni<Caller> claimNonce(Verified verified, String clientAddress) {
        ParsedSignature parsed = verified.signed();
        return nonces.claim(parsed.accessKeyId(), parsed.nonce(), parsed.timestamp().plus(config.timestampWindow()))
                .map(fresh -> {
                    if (!fresh) {
                        // A replay is a failed authentication too.
                        failures.failed(parsed.accessKeyId(), clientAddress);
                        throw new ApiException(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
                    }
                    return verified.caller();
                });
    }

    public static ApiException fromSignature(SignatureFailure f) {
        return switch (f.code()) {
            case SIGNATURE_DOES_NOT_MATCH -> new ApiException(400, "SignatureDoesNotMatch", f.getMessage());
            case INVALID_TIMESTAMP_EXPIRED -> new ApiException(400, "InvalidTimeStamp.Expired", f.getMessage());
            case INVALID_TIMESTAMP_FORMAT -> new ApiException(400, "InvalidTimeStamp.Format", f.getMessage());
            case MISSING_PARAMETER -> new ApiException(400, "MissingParameter", f.getMessage());
            case INCOMPLETE_SIGNATURE -> new ApiException(400, "IncompleteSignature", f.getMessage());
            case INVALID_PARAMETER -> new ApiException(400, "InvalidParameter", f.getMessage(), Map.of());
        };
    }
}
