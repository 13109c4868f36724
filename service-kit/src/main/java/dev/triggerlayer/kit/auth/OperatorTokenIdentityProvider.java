package dev.triggerlayer.kit.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/** Checks a bearer token against the configured ones (constant-time) and grants that token's roles. */
@ApplicationScoped
public class OperatorTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private record Known(String name, byte[] digest, Set<String> roles) {
    }

    private final List<Known> tokens;

    public OperatorTokenIdentityProvider(OperatorConfig config) {
        this.tokens = config.tokens().entrySet().stream()
                .filter(e -> e.getValue().secret().filter(s -> !s.isBlank()).isPresent())
                .map(e -> new Known(e.getKey(), digest(e.getValue().secret().orElseThrow().trim()), Set.copyOf(e.getValue().roles())))
                .toList();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        // Comparing digests keeps the comparison constant-time whatever the presented length.
        byte[] presented = digest(request.getToken().getToken());
        Known match = null;
        for (Known k : tokens) {
            if (MessageDigest.isEqual(presented, k.digest()) && match == null) {
                match = k;
            }
        }
        if (match == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer token"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(match.name()))
                .addRoles(match.roles())
                .build());
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
