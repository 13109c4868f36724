package dev.triggerlayer.gateway;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The scheduler's query API at its HTTP contract (GET /api/v1/instances…), so the gateway's
 * GetTaskInstance and ListTaskInstances can be tested alone; it answers only with the operator
 * token and echoes the forwarded query so tests can check it.
 */
public class SchedulerQueryStandIn implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/instances", exchange -> {
            String body;
            int status = 200;
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (!"Bearer test-operator-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = "{\"code\":\"Unauthorized\"}";
            } else if (path.endsWith("/555")) {
                body = "{\"Id\":555,\"TaskId\":" + World.NODE_B + ",\"ProjectId\":" + World.WS_B + ",\"Status\":\"WaitTrigger\"}";
            } else if (path.endsWith("/556")) {
                body = "{\"Id\":556,\"TaskId\":" + World.NODE_C + ",\"ProjectId\":" + World.WS_C + ",\"Status\":\"NotRun\"}";
            } else if (path.matches(".*/\\d+")) {
                status = 404;
                body = "{\"code\":\"NotFound\",\"message\":\"task instance does not exist\"}";
            } else if (query != null && query.contains("PageSize=9999")) {
                status = 400;
                body = "{\"code\":\"InvalidParameter\",\"message\":\"PageSize: must be at most 500\",\"field\":\"PageSize\"}";
            } else {
                body = "{\"PagingInfo\":{\"TotalCount\":1,\"PageNumber\":1,\"PageSize\":20,\"Query\":\"" + query
                        + "\",\"TaskInstances\":[{\"Id\":555,\"ProjectId\":" + World.WS_B + "}]}}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return Map.of("gateway.scheduler.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
