package dev.triggerlayer.kit.auth;

import io.smallrye.config.ConfigMapping;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens of a service's admin API. Each caller gets its own token with only the roles
 * it needs ({@code operator}: everything; {@code reader}: the read-only queries), so the token a
 * gateway holds to read instances cannot deploy a script. Token values come from the environment
 * or a mounted Secret file, never from a command line.
 */
@ConfigMapping(prefix = "triggerlayer.operator")
public interface OperatorConfig {

    /** Tokens by caller name (the name is only for logs and audit). */
    Map<String, Token> tokens();

    interface Token {
        /** The token; a token without a value (an unset variable) is not accepted. */
        Optional<String> secret();

        /** Roles the token grants: {@code operator}, {@code reader}. */
        Set<String> roles();
    }
}
