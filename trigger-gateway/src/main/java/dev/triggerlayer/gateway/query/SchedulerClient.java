package dev.triggerlayer.gateway.query;

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
 * The scheduler's query API with the fault tolerance a call to another service needs: a time
 * limit, a retry of a call that did not reach it, and a circuit breaker so a scheduler that is down
 * costs each caller one fast {@code ServiceUnavailable} instead of a wait (SmallRye Fault Tolerance;
 * the settings can be changed as {@code quarkus.fault-tolerance."…SchedulerClient/instance".*}).
 */
@ApplicationScoped
public class SchedulerClient {

    private final SchedulerApi api;

    public SchedulerClient(@RestClient SchedulerApi api) {
        this.api = api;
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 100, retryOn = ProcessingException.class, abortOn = ApiException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000, skipOn = ApiException.class)
    public Uni<JsonNode> instance(long id) {
        return api.instance(id);
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 100, retryOn = ProcessingException.class, abortOn = ApiException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000, skipOn = ApiException.class)
    public Uni<JsonNode> instances(Map<String, String> query) {
        return api.instances(query);
    }

    /**
     * A failure of a call as the caller must answer it: the scheduler's own refusals pass, anything
     * else (time limit, open circuit, no connection) is a retryable {@code ServiceUnavailable}.
     */
    public static ApiException asApiError(Throwable t) {
        return t instanceof ApiException api ? api
                : new ApiException(503, "ServiceUnavailable", "The instance store is not reachable; try again later.");
    }
}
