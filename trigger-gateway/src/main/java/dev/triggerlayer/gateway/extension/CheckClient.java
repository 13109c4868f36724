package dev.triggerlayer.gateway.extension;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.gateway.rpc.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Map;

/**
 * {@link CheckApi} with the fault tolerance of the gateway's other scheduler calls: a time limit, a
 * retry of a call that did not reach it (safe: the same answer again is accepted), a circuit
 * breaker. Any failure that is not the scheduler's own refusal is a retryable {@code ServiceUnavailable}.
 */
@ApplicationScoped
public class CheckClient {

    private final CheckApi api;

    public CheckClient(@RestClient CheckApi api) {
        this.api = api;
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 100, retryOn = ProcessingException.class, abortOn = ApiException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000, skipOn = ApiException.class)
    public Uni<JsonNode> verdict(String checkId, Map<String, Object> verdict) {
        return api.verdict(checkId, verdict);
    }
}
