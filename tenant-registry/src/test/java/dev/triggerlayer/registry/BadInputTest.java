package dev.triggerlayer.registry;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.triggerlayer.registry.Api.operator;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bad input gets a 4xx naming the field, and writes nothing (no row, no feed record). */
@QuarkusTest
class BadInputTest {

    static String region;

    @Inject
    Pool pool;

    static Map<String, Object> tenant(String key, Object value) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "bad-input", "accountId", "bad123", "edition", "ENTERPRISE",
                "homeRegion", "$REGION"));
        if (value == null) {
            body.remove(key);
        } else {
            body.put(key, value);
        }
        return body;
    }

    static Stream<Arguments> badTenants() {
        return Stream.of(
                Arguments.of(tenant("homeRegion", "xx-nowhere-9"), "homeRegion"),
                Arguments.of(tenant("name", "n".repeat(65)), "name"),
                Arguments.of(tenant("name", null), "name"),
                Arguments.of(tenant("name", ""), "name"),
                Arguments.of(tenant("accountId", null), "accountId"),
                Arguments.of(tenant("accountId", "with space"), "accountId"),
                Arguments.of(tenant("edition", "GOLD"), "edition"),
                Arguments.of(tenant("edition", null), "edition"),
                Arguments.of(tenant("id", -5), "id"),
                Arguments.of(tenant("id", "abc"), "id"),
                Arguments.of(tenant("timeZone", "Mars/Olympus"), "timeZone"));
    }

    @ParameterizedTest
    @MethodSource("badTenants")
    void badTenantIsRefusedNamingTheField(Map<String, Object> body, String field) {
        if (region == null) {
            region = Api.region();
        }
        if ("$REGION".equals(body.get("homeRegion"))) {
            body.put("homeRegion", region);
        }
        long rowsBefore = count("tenant");
        long outboxBefore = count("outbox");
        operator().body(body).post("/api/v1/tenants").then()
                .statusCode(400)
                .body("code", equalTo("InvalidParameter"))
                .body("field", equalTo(field))
                .body("message", containsString(field));
        assertEquals(rowsBefore, count("tenant"), "no tenant row written");
        assertEquals(outboxBefore, count("outbox"), "no feed record written");
    }

    @Test
    void malformedIdsInPathsNameTheParameter() {
        operator().get("/api/v1/tenants/abc").then().statusCode(400).body("field", equalTo("tenantId"));
        operator().get("/api/v1/tenants/-1").then().statusCode(400).body("field", equalTo("tenantId"));
        operator().get("/api/v1/workspaces/99999999999999999999999").then().statusCode(400).body("field", equalTo("workspaceId"));
        operator().post("/api/v1/users/x1/access-keys").then().statusCode(400).body("field", equalTo("userId"));
        operator().get("/api/v1/access-keys/short").then().statusCode(400).body("field", equalTo("accessKeyId"));
    }

    @Test
    void malformedJsonAndMissingBodies() {
        operator().body("{\"name\": ").post("/api/v1/tenants").then().statusCode(400).body("code", equalTo("InvalidParameter"));
        operator().post("/api/v1/tenants").then().statusCode(400);
        operator().body(Map.of("tenantId", 1, "name", "1starts-with-digit")).post("/api/v1/workspaces")
                .then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void referencesToUnknownEntitiesAreRefused() {
        long before = count("workspace");
        operator().body(Map.of("tenantId", 424242424242L, "name", "orphan")).post("/api/v1/workspaces")
                .then().statusCode(400).body("field", equalTo("tenantId"));
        operator().body(Map.of("tenantId", 1, "workspaceId", 2, "granteeUserId", 3, "expiresAt", "2000-01-01T00:00:00Z"))
                .post("/api/v1/grants").then().statusCode(400).body("field", equalTo("expiresAt"));
        operator().body(Map.of("tenantId", 1, "workspaceId", 2, "granteeUserId", 3, "expiresAt", "not-a-time"))
                .post("/api/v1/grants").then().statusCode(400).body("field", equalTo("expiresAt"));
        assertEquals(before, count("workspace"));
    }

    @Test
    void aBusThatIsNotTheTenantsIsRefusedAndAMappedBusStays() {
        String region = Api.region();
        long tenant = Api.tenant(region);
        operator().body(Map.of("name", "audit", "regionId", region)).post("/api/v1/tenants/" + tenant + "/event-buses").then().statusCode(201);
        long ws = Api.workspace(tenant);
        long workspaces = count("workspace");
        long outbox = count("outbox");
        operator().body(Map.of("tenantId", tenant, "name", "orphan" + ws, "eventBusName", "missing")).post("/api/v1/workspaces")
                .then().statusCode(400).body("code", equalTo("InvalidParameter")).body("field", equalTo("eventBusName"));
        operator().body(Map.of("tenantId", tenant, "name", "renamed" + ws, "eventBusName", "missing")).put("/api/v1/workspaces/" + ws)
                .then().statusCode(400).body("field", equalTo("eventBusName"));
        assertEquals(workspaces, count("workspace"), "no workspace row written");
        assertEquals(outbox, count("outbox"), "no feed record written");
        operator().get("/api/v1/workspaces/" + ws).then().statusCode(200).body("name", equalTo("ws" + ws));

        operator().body(Map.of("tenantId", tenant, "name", "ws" + ws, "eventBusName", "audit")).put("/api/v1/workspaces/" + ws).then().statusCode(200);
        outbox = count("outbox");
        operator().delete("/api/v1/tenants/" + tenant + "/event-buses/audit").then().statusCode(409).body("code", equalTo("Conflict"));
        assertEquals(outbox, count("outbox"), "a refused bus deletion writes nothing");
        assertEquals(1L, count("event_bus where tenant_id = " + tenant));
    }

    @Test
    void aGrantNamesItsNodesOrSaysAllNodesNeverNeither() {
        long b = Api.tenant(Api.region());
        long ws = Api.workspace(b);
        long other = Api.user(Api.tenant(Api.region()), "ROOT");
        long before = count("trigger_grant");
        for (Map<String, Object> scope : List.<Map<String, Object>>of(Map.of(), Map.of("nodeIds", List.of()), Map.of("allNodes", false),
                Map.of("nodeIds", List.of(7), "allNodes", true))) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("tenantId", b, "workspaceId", ws, "granteeUserId", other,
                    "expiresAt", "2999-01-01T00:00:00Z"));
            body.putAll(scope);
            operator().body(body).post("/api/v1/grants").then().statusCode(400).body("field", equalTo("nodeIds"));
        }
        assertEquals(before, count("trigger_grant"));
        operator().body(Map.of("tenantId", b, "workspaceId", ws, "granteeUserId", other, "allNodes", true, "expiresAt", "2999-01-01T00:00:00Z"))
                .post("/api/v1/grants").then().statusCode(201).body("allNodes", equalTo(true)).body("nodeIds.size()", equalTo(0));
    }

    @Test
    void grantWithinOneTenantIsRefused() {
        long tenant = Api.tenant(Api.region());
        long ws = Api.workspace(tenant);
        long user = Api.user(tenant, "SUB");
        long before = count("trigger_grant");
        operator().body(Map.of("tenantId", tenant, "workspaceId", ws, "granteeUserId", user, "allNodes", true, "expiresAt", "2999-01-01T00:00:00Z"))
                .post("/api/v1/grants").then().statusCode(400).body("field", equalTo("granteeUserId"));
        assertEquals(before, count("trigger_grant"));
        assertEquals(0L, count("grant_audit where grant_id not in (select id from trigger_grant)"));
    }

    private long count(String table) {
        return pool.query("select count(*) from " + table).execute().await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }
}
