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
 * GetTaskInstance and ListTaskInstances can be tested alone; it answers only the gateway's
 * read-only token, in the scheduler's own shape, and keeps the last list query so tests can check
 * what the gateway forwarded. The end-to-end suite maps the real scheduler's answers.
 */
public class SchedulerQueryStandIn implements QuarkusTestResourceLifecycleManager {

    /** The query string of the last list call (null before any). */
    public static volatile String lastListQuery;
    static final String TRIGGER_INSTANCE = "{\"Id\":555,\"TaskId\":" + World.NODE_B + ",\"TaskName\":\"b_trigger\",\"TaskType\":\"HTTP_TRIGGER\","
            + "\"WorkflowId\":7,\"WorkflowName\":\"flow\",\"WorkflowInstanceId\":70,\"WorkflowInstanceType\":\"Normal\",\"DagType\":0,"
            + "\"ProjectId\":" + World.WS_B + ",\"ProjectEnv\":\"Prod\",\"TenantId\":" + World.TENANT_B + ",\"TriggerTime\":1796112000000,"
            + "\"BizDate\":1796025600000,\"PeriodNumber\":1,\"Status\":\"WaitTrigger\",\"StatusCode\":2,\"SchedulerType\":\"NORMAL\","
            + "\"Priority\":1,\"ResourceGroup\":\"default\",\"Owner\":\"owner-b\",\"RerunMode\":\"ALL_ALLOWED\",\"TimeoutSeconds\":3600,"
            + "\"Parameters\":{},\"WaitTimeStartedTime\":1796112000000,\"CreateTime\":1796000000000,\"ModifyTime\":1796112000000,"
            + "\"TriggerType\":\"Scheduler\",\"RunNumber\":0,\"Frozen\":false}";
    static final String SHELL_INSTANCE = "{\"Id\":557,\"TaskId\":" + World.NODE_B_UNGRANTED + ",\"TaskName\":\"b_shell\",\"TaskType\":\"SHELL\","
            + "\"WorkflowId\":7,\"WorkflowName\":\"flow\",\"WorkflowInstanceId\":70,\"WorkflowInstanceType\":\"Normal\",\"DagType\":0,"
            + "\"ProjectId\":" + World.WS_B + ",\"ProjectEnv\":\"Prod\",\"TenantId\":" + World.TENANT_B + ",\"TriggerTime\":1796112000000,"
            + "\"BizDate\":1796025600000,\"PeriodNumber\":1,\"Status\":\"Failure\",\"StatusCode\":5,\"SchedulerType\":\"PAUSE\","
            + "\"Priority\":1,\"ResourceGroup\":\"default\",\"Owner\":\"owner-b\",\"RerunMode\":\"FAILURE_ALLOWED\",\"TimeoutSeconds\":600,"
            + "\"Script\":\"echo $GREETING\",\"Parameters\":{\"GREETING\":\"hello\"},\"StartedTime\":1796112001000,"
            + "\"FinishedTime\":1796112002000,\"CreateTime\":1796000000000,\"ModifyTime\":1796112002000,\"TriggerType\":\"Scheduler\","
            + "\"RunNumber\":1,\"Runner\":\"replica-1\",\"Frozen\":false}";

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
            if (!"Bearer test-query-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = "{\"code\":\"Unauthorized\"}";
            } else if (path.endsWith("/555")) {
                body = TRIGGER_INSTANCE;
            } else if (path.endsWith("/557")) {
                body = SHELL_INSTANCE;
            } else if (path.endsWith("/556")) {
                body = "{\"Id\":556,\"TaskId\":" + World.NODE_C + ",\"ProjectId\":" + World.WS_C + ",\"Status\":\"NotRun\"}";
            } else if (path.matches(".*/\\d+")) {
                status = 404;
                body = "{\"code\":\"NotFound\",\"message\":\"task instance does not exist\"}";
            } else if (query != null && query.contains("Owner=refused")) {
                status = 400;
                body = "{\"code\":\"InvalidParameter\",\"message\":\"Owner: refused by the stand-in\",\"field\":\"Owner\"}";
            } else {
                lastListQuery = query;
                body = "{\"PagingInfo\":{\"TotalCount\":2,\"PageNumber\":1,\"PageSize\":10,\"TaskInstances\":[" + TRIGGER_INSTANCE + ","
                        + SHELL_INSTANCE + "]}}";
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
