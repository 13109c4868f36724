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
 */
@ApplicationScoped
public class Authenticator {

    private final SignatureVerifier verifier;
    private final Directory directory;
    private final SealedSecrets secrets;
    private final NonceStore nonces;
    private final GatewayConfig config;

    public Authenticator(Clock clock, GatewayConfig config, Directory directory, NonceStore nonces) {
        this.verifier = new SignatureVerifier(clock, config.timestampWindow());
        this.directory = directory;
        // Open-only: the gateway never seals; the registry seals the secrets on its feed (contracts/registry-feed.md).
        this.secrets = SealedSecrets.openOnly("gateway.registry-feed", config.registryFeed().keys());
        this.nonces = nonces;
        this.config = config;
    }

    public Uni<Caller> authenticate(SignedRequest request) {
        ParsedSignature parsed;
        Directory.AccessKey key;
        try {
            parsed = verifier.parse(request);
            key = directory.accessKey(parsed.accessKeyId());
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
        } catch (SignatureFailure f) {
            throw fromSignature(f);
        }
        return nonces.claim(parsed.accessKeyId(), parsed.nonce(), parsed.timestamp().plus(config.timestampWindow()))
                .map(fresh -> {
                    if (!fresh) {
                        throw new ApiException(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
                    }
                    return new Caller(key.id(), key.tenantId(), key.userId());
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
