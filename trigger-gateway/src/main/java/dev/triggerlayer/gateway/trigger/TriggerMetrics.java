package dev.triggerlayer.gateway.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.gateway.rpc.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

/**
 * What operators alert on for triggers: {@code triggerlayer.triggers} by action and outcome
 * ({@code Triggered}, {@code Retained}, or the documented error code: a fixed set, so tags stay
 * few) and {@code triggerlayer.trigger.duration}, the round trip from the call to its answer.
 */
@ApplicationScoped
public class TriggerMetrics {

    private final MeterRegistry registry;

    public TriggerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String action : new String[] {"TriggerSchedulerTaskInstance", "RunTriggerNode"}) {
            // Registered up front so a dashboard shows zero rather than nothing before the first trigger.
            for (String outcome : new String[] {"Triggered", "Retained", "ServiceUnavailable"}) {
                counter(action, outcome);
            }
            timer(action);
        }
    }

    /** Counts and times the answer of one trigger call. */
    public Uni<ObjectNode> measured(String action, Uni<ObjectNode> call) {
        long start = System.nanoTime();
        return call
                .invoke(answer -> record(action, answer.path("TriggerOutcome").asText("Triggered"), start))
                .onFailure().invoke(e -> record(action, e instanceof ApiException api ? api.code() : "InternalError", start));
    }

    private void record(String action, String outcome, long startNanos) {
        counter(action, outcome).increment();
        timer(action).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String action, String outcome) {
        return Counter.builder("triggerlayer.triggers").description("trigger calls by action and outcome")
                .tag("action", action).tag("outcome", outcome).register(registry);
    }

    private Timer timer(String action) {
        return Timer.builder("triggerlayer.trigger.duration").description("trigger call to answer, outcome included")
                .tag("action", action).publishPercentileHistogram().register(registry);
    }
}
