package dev.triggerlayer.gateway;

import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import dev.triggerlayer.gateway.directory.Directory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.triggerlayer.gateway.GatewayHarness.errorCode;
import static dev.triggerlayer.gateway.TestClockProducer.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GetTaskInstance and ListTaskInstances through the official SDK, with the readers' permissions. */
@QuarkusTest
class TaskInstanceQueryTest {

    @Inject
    Directory directory;

    @BeforeEach
    void world() {
        CLOCK.set(Instant.now());
        GatewayHarness.ready(directory);
    }

    @Test
    void getTaskInstanceAnswersReadersOfTheWorkspace() throws Exception {
        Map<String, Object> body = call(World.B_DEV_KEY, "GetTaskInstance", Map.of("Id", 555));
        assertTrue(body.get("RequestId") instanceof String);
        assertEquals(555L, ((Number) ((Map<?, ?>) body.get("Data")).get("Id")).longValue());
        // A's root account reads B's workspace through the grant; C's may not.
        assertEquals("WaitTrigger", ((Map<?, ?>) call(World.A_KEY, "GetTaskInstance", Map.of("Id", 555)).get("Data")).get("Status"));
        assertEquals("Forbidden.NoPermission", errorCode(() -> call(World.C_KEY, "GetTaskInstance", Map.of("Id", 555))));
        assertEquals("InvalidTaskInstance.NotFound", errorCode(() -> call(World.B_DEV_KEY, "GetTaskInstance", Map.of("Id", 404))));
        assertEquals("MissingParameter", errorCode(() -> call(World.B_DEV_KEY, "GetTaskInstance", Map.of())));
    }

    @Test
    void listTaskInstancesForwardsTheFiltersOfAReadableWorkspace() throws Exception {
        Map<String, Object> body = call(World.B_DEV_KEY, "ListTaskInstances",
                Map.of("ProjectId", World.WS_B, "BizDate", "2026-11-21", "Status", "WaitTrigger", "PageSize", 50));
        Map<?, ?> paging = (Map<?, ?>) body.get("PagingInfo");
        assertEquals(1L, ((Number) paging.get("TotalCount")).longValue());
        String forwarded = (String) paging.get("Query");
        assertTrue(forwarded.contains("ProjectId=" + World.WS_B) && forwarded.contains("Status=WaitTrigger")
                && forwarded.contains("BizDate=2026-11-21") && forwarded.contains("PageSize=50"), forwarded);
        assertEquals("Forbidden.NoPermission", errorCode(() -> call(World.C_KEY, "ListTaskInstances", Map.of("ProjectId", World.WS_B))));
        assertEquals("InvalidParameter", errorCode(() -> call(World.B_DEV_KEY, "ListTaskInstances", Map.of("ProjectId", World.WS_B, "PageSize", 9999))));
        assertEquals("MissingParameter", errorCode(() -> call(World.B_DEV_KEY, "ListTaskInstances", Map.of())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(World.Key key, String action, Map<String, Object> query) throws Exception {
        Params params = new Params().setAction(action).setVersion("2024-05-18").setProtocol("HTTP").setMethod("POST")
                .setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        return (Map<String, Object>) GatewayHarness.client(key, false)
                .callApi(params, new OpenApiRequest().setQuery(com.aliyun.openapiutil.Client.query(query)), new RuntimeOptions()).get("body");
    }
}
