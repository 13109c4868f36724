package dev.triggerlayer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tenant's HTTP endpoint subscribed to its bus: it keeps every delivered event with the
 * {@code traceparent} it came with, and records its own server span (as a traced subscriber
 * would) in an in-memory exporter, so a test can follow one trace to its very end.
 */
final class Subscriber implements AutoCloseable {

    /** One delivery: the event and the trace context it carried. */
    record Delivery(JsonNode event, String traceparent) {
    }

    private static final TextMapGetter<Map<String, List<String>>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, List<String>> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, List<String>> carrier, String key) {
            for (var e : carrier.entrySet()) {
                if (e.getKey().equalsIgnoreCase(key) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    };

    private final HttpServer server;
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final List<Delivery> deliveries = new ArrayList<>();

    Subscriber() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), exchange.getRequestHeaders(), HEADERS);
            var span = tracing.get("e2e-subscriber").spanBuilder("POST /hook").setSpanKind(SpanKind.SERVER).setParent(parent).startSpan();
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode event = TriggerLayer.JSON.readTree(in.readAllBytes());
                span.setAttribute("triggerlayer.event_id", event.path("id").asText());
                synchronized (this) {
                    deliveries.add(new Delivery(event, exchange.getRequestHeaders().getFirst("traceparent")));
                }
                exchange.sendResponseHeaders(204, -1);
            } finally {
                span.end();
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The subscriber's own spans, as its in-memory exporter got them. */
    List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    @Override
    public void close() {
        server.stop(0);
        tracing.close();
    }
}
