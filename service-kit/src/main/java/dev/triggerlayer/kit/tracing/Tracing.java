package dev.triggerlayer.kit.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * W3C trace context across the places no instrumentation sees: Kafka records sent and read by
 * hand, and outbox rows (the context of the change that wrote them is stored with the row as its
 * {@code traceparent} and put in the record's headers by the relay). One trace then runs from the
 * gateway's HTTP request through the trigger command, the scheduler's transaction, the outbox
 * relay and the publisher to the delivery. Hand-made because the trace must cross the outbox
 * table, which no Kafka interceptor can see.
 */
@ApplicationScoped
public class Tracing {

    public static final String TRACEPARENT = "traceparent";

    private static final TextMapSetter<Headers> KAFKA_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };
    private static final TextMapGetter<Headers> KAFKA_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new java.util.ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header h = headers == null ? null : headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public Tracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.triggerlayer");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** A span of {@code kind} named {@code name}, child of {@code parent}; the caller ends it. */
    public SpanBuilder span(String name, SpanKind kind, Context parent) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent == null ? Context.current() : parent);
    }

    /** The {@code traceparent} of a context, for storing with an outbox row; null when it has no valid span. */
    public String traceparent(Context context) {
        if (context == null || !Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** The context a stored {@code traceparent} stands for ({@link Context#root()} when none). */
    public Context fromTraceparent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return propagator.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP_GETTER);
    }

    /** Puts the context into a Kafka record's headers. */
    public void inject(Context context, Headers headers) {
        propagator.inject(context, headers, KAFKA_SETTER);
    }

    /** The context a Kafka record carries ({@link Context#root()} when none). */
    public Context extract(Headers headers) {
        return propagator.extract(Context.root(), headers, KAFKA_GETTER);
    }

    /** Puts the context into HTTP request headers. */
    public void inject(Context context, Map<String, String> headers) {
        propagator.inject(context, headers, Map::put);
    }

    /** Whether a context carries a valid span (sampled or not). */
    public static boolean traced(Context context) {
        SpanContext s = Span.fromContext(context).getSpanContext();
        return s.isValid();
    }
}
