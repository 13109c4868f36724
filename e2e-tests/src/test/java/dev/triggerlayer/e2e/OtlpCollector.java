package dev.triggerlayer.e2e;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP (protobuf) trace receiver, the collector the packaged services export their
 * spans to in the end-to-end suite: it decodes each export and keeps every span.
 */
final class OtlpCollector implements AutoCloseable {

    /** A span as a service exported it. */
    record Received(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
                    Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<Received> spans = new ArrayList<>();

    OtlpCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream raw = exchange.getRequestBody()) {
                InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding")) ? new GZIPInputStream(raw) : raw;
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in);
                keep(request);
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            } catch (IOException | RuntimeException e) {
                // A collector that drops what it cannot read would hide a broken export: say so.
                System.err.println("OTLP export not readable: " + e);
                exchange.sendResponseHeaders(400, -1);
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void keep(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = rs.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
                    .map(a -> a.getValue().getStringValue()).findFirst().orElse("?");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    Map<String, String> attributes = new LinkedHashMap<>();
                    for (KeyValue kv : s.getAttributesList()) {
                        attributes.put(kv.getKey(), text(kv.getValue()));
                    }
                    spans.add(new Received(service, hex.formatHex(s.getTraceId().toByteArray()), hex.formatHex(s.getSpanId().toByteArray()),
                            s.getParentSpanId().isEmpty() ? null : hex.formatHex(s.getParentSpanId().toByteArray()), s.getName(),
                            s.getKind().name(), attributes));
                }
            }
        }
    }

    private static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> String.valueOf(v.getIntValue());
            case BOOL_VALUE -> String.valueOf(v.getBoolValue());
            case DOUBLE_VALUE -> String.valueOf(v.getDoubleValue());
            default -> v.toString();
        };
    }

    synchronized List<Received> spans() {
        return List.copyOf(spans);
    }

    synchronized List<Received> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
