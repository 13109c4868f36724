package dev.triggerlayer.registry;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.net.URL;
import java.util.Map;

import static dev.triggerlayer.registry.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Create, read, update and delete of every registry entity through the admin API. */
@QuarkusTest
class RegistryCrudTest {

    @TestHTTPResource(value = "health/live", management = true)
    URL liveness;

    @Test
    void regions() {
        String id = Api.region();
        operator().get("/api/v1/regions/" + id).then().statusCode(200).body("gatewayUrl", equalTo("http://gw." + id + ".example.com"));
        operator().body(Map.of("endpointHost", "dataworks." + id + ".example.org", "gatewayUrl", "https://gw2.example.org",
                        "eventBuses", List.of("default", "audit")))
                .put("/api/v1/regions/" + id).then().statusCode(200).body("eventBuses", contains("default", "audit"));
        operator().get("/api/v1/regions").then().statusCode(200).body("id", hasItem(id));
        operator().delete("/api/v1/regions/" + id).then().statusCode(204);
        operator().get("/api/v1/regions/" + id).then().statusCode(404).body("code", equalTo("NotFound"));
    }

    @Test
    void tenants() {
        String region = Api.region();
        long id = Api.tenant(region);
        operator().get("/api/v1/tenants/" + id).then().statusCode(200)
                .body("timeZone", equalTo("Asia/Shanghai"))
                .body("httpTriggerNodesAllowed", equalTo(true));
        operator().body(Map.of("name", "renamed" + id, "accountId", "acc" + id, "edition", "STANDARD",
                        "homeRegion", region, "timeZone", "Europe/Berlin"))
                .put("/api/v1/tenants/" + id).then().statusCode(200)
                .body("name", equalTo("renamed" + id))
                .body("httpTriggerNodesAllowed", equalTo(false))
                .body("timeZone", equalTo("Europe/Berlin"));
        // A generated id when none is given.
        operator().body(Map.of("name", "gen" + id, "accountId", "gen" + id, "edition", "BASIC", "homeRegion", region))
                .post("/api/v1/tenants").then().statusCode(201).body("id", notNullValue());
        operator().delete("/api/v1/tenants/" + id).then().statusCode(204);
        operator().get("/api/v1/tenants/" + id).then().statusCode(404);
    }

    @Test
    void duplicatesAreConflicts() {
        String region = Api.region();
        long id = Api.tenant(region);
        operator().body(Map.of("id", id, "name", "other" + id, "accountId", "other" + id, "edition", "BASIC", "homeRegion", region))
                .post("/api/v1/tenants").then().statusCode(409).body("code", equalTo("Conflict"));
        operator().body(Map.of("name", "t" + id, "accountId", "x" + id, "edition", "BASIC", "homeRegion", region))
                .post("/api/v1/tenants").then().statusCode(409);
        long ws = Api.workspace(id);
        operator().body(Map.of("tenantId", id, "name", "ws" + ws)).post("/api/v1/workspaces").then().statusCode(409);
        operator().body(Map.of("id", region, "endpointHost", "h", "gatewayUrl", "http://h")).post("/api/v1/regions").then().statusCode(409);
        // Still in use: a region with tenants and a tenant with workspaces cannot be deleted.
        operator().delete("/api/v1/regions/" + region).then().statusCode(409);
        operator().delete("/api/v1/tenants/" + id).then().statusCode(409);
    }

    @Test
    void workspacesUsersAndMembers() {
        long tenant = Api.tenant(Api.region());
        long ws = Api.workspace(tenant);
        operator().get("/api/v1/workspaces/" + ws).then().statusCode(200)
                .body("environments", contains("Prod", "Dev")).body("publishEvents", equalTo(true));
        operator().body(Map.of("tenantId", tenant, "name", "ws" + ws, "environments", List.of("Prod"), "publishEvents", false))
                .put("/api/v1/workspaces/" + ws).then().statusCode(200)
                .body("environments", contains("Prod")).body("publishEvents", equalTo(false));
        assertEquals(List.of(ws), operator().queryParam("tenantId", tenant).get("/api/v1/workspaces").then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class));

        long root = Api.user(tenant, "ROOT");
        long dev = Api.user(tenant, "SUB");
        operator().body(Map.of("name", "another-root", "kind", "ROOT")).post("/api/v1/tenants/" + tenant + "/users").then().statusCode(409);
        operator().body(Map.of("name", "dev-renamed", "kind", "SUB")).put("/api/v1/users/" + dev).then().statusCode(200).body("name", equalTo("dev-renamed"));
        assertEquals(List.of(Math.min(root, dev), Math.max(root, dev)), operator().get("/api/v1/tenants/" + tenant + "/users").then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class));

        operator().body(Map.of("roles", List.of("DEVELOP"))).put("/api/v1/workspaces/" + ws + "/members/" + dev)
                .then().statusCode(200).body("mayTrigger", equalTo(true));
        operator().body(Map.of("roles", List.of("VISITOR", "OPERATION"))).put("/api/v1/workspaces/" + ws + "/members/" + root)
                .then().statusCode(200).body("mayTrigger", equalTo(false));
        assertEquals(List.of(Math.min(root, dev), Math.max(root, dev)), operator().get("/api/v1/workspaces/" + ws + "/members").then().statusCode(200)
                .extract().jsonPath().getList("userId", Long.class));
        // A user of another tenant cannot become a member; other tenants get grants.
        long stranger = Api.user(Api.tenant(Api.region()), "SUB");
        operator().body(Map.of("roles", List.of("DEVELOP"))).put("/api/v1/workspaces/" + ws + "/members/" + stranger)
                .then().statusCode(400).body("field", equalTo("userId"));

        operator().delete("/api/v1/workspaces/" + ws + "/members/" + root).then().statusCode(204);
        operator().delete("/api/v1/users/" + root).then().statusCode(204);
        operator().delete("/api/v1/workspaces/" + ws + "/members/" + dev).then().statusCode(204);
        operator().delete("/api/v1/workspaces/" + ws).then().statusCode(204);
        operator().get("/api/v1/workspaces/" + ws).then().statusCode(404);
    }

    @Test
    void accessKeysLifecycle() {
        long tenant = Api.tenant(Api.region());
        long user = Api.user(tenant, "SUB");
        String[] key = Api.accessKey(user);
        var shown = operator().get("/api/v1/access-keys/" + key[0]).then().statusCode(200)
                .body("enabled", equalTo(true))
                .body("accessKeySecret", nullValue())
                .extract().jsonPath();
        assertEquals(tenant, shown.getLong("tenantId"));
        operator().post("/api/v1/access-keys/" + key[0] + "/disable").then().statusCode(200).body("enabled", equalTo(false));
        operator().post("/api/v1/access-keys/" + key[0] + "/enable").then().statusCode(200).body("enabled", equalTo(true));
        operator().post("/api/v1/access-keys/" + key[0] + "/rotate").then().statusCode(200)
                .body("accessKeyId", equalTo(key[0]))
                .body("accessKeySecret", not(equalTo(key[1])));
        operator().get("/api/v1/users/" + user + "/access-keys").then().statusCode(200).body("accessKeyId", contains(key[0]));
        operator().delete("/api/v1/access-keys/" + key[0]).then().statusCode(204);
        operator().get("/api/v1/access-keys/" + key[0]).then().statusCode(404);
    }

    @Test
    void grantsAreAuditedAndRevocable() {
        String region = Api.region();
        long b = Api.tenant(region);
        long ws = Api.workspace(b);
        long a = Api.tenant(region);
        long aUser = Api.user(a, "ROOT");
        Instant expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        long grant = operator().header("X-Operator", "alice")
                .body(Map.of("tenantId", b, "workspaceId", ws, "granteeUserId", aUser, "nodeIds", List.of(7, 8), "expiresAt", expires.toString()))
                .post("/api/v1/grants").then().statusCode(201)
                .body("nodeIds", contains(7, 8)).body("allNodes", equalTo(false))
                .extract().jsonPath().getLong("id");
        assertEquals(a, operator().get("/api/v1/grants/" + grant).jsonPath().getLong("granteeTenantId"));
        assertEquals(List.of(grant), operator().queryParam("granteeTenantId", a).get("/api/v1/grants").then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class));
        operator().header("X-Operator", "bob").delete("/api/v1/grants/" + grant).then().statusCode(200)
                .body("revokedBy", equalTo("bob")).body("revokedAt", notNullValue());
        operator().delete("/api/v1/grants/" + grant).then().statusCode(409);
        operator().get("/api/v1/grants/" + grant + "/audit").then().statusCode(200)
                .body("action", contains("GRANTED", "REVOKED"))
                .body("operator", contains("alice", "bob"));
    }

    @Test
    void eventBuses() {
        String region = Api.region();
        long tenant = Api.tenant(region);
        operator().body(Map.of("name", "default", "regionId", region)).post("/api/v1/tenants/" + tenant + "/event-buses").then().statusCode(201);
        operator().body(Map.of("name", "default", "regionId", region)).post("/api/v1/tenants/" + tenant + "/event-buses").then().statusCode(409);
        operator().get("/api/v1/tenants/" + tenant + "/event-buses").then().statusCode(200).body("name", contains("default"));
        operator().delete("/api/v1/tenants/" + tenant + "/event-buses/default").then().statusCode(204);
        operator().get("/api/v1/tenants/" + tenant + "/event-buses").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aWorkspaceMapsToOneBusOfItsOwnTenant() {
        String region = Api.region();
        long tenant = Api.tenant(region);
        long other = Api.tenant(region);
        operator().body(Map.of("name", "audit", "regionId", region)).post("/api/v1/tenants/" + tenant + "/event-buses").then().statusCode(201);
        operator().body(Map.of("name", "elsewhere", "regionId", region)).post("/api/v1/tenants/" + other + "/event-buses").then().statusCode(201);

        long ws = Api.uniqueId();
        operator().body(Map.of("id", ws, "tenantId", tenant, "name", "ws" + ws, "eventBusName", "audit"))
                .post("/api/v1/workspaces").then().statusCode(201).body("eventBusName", equalTo("audit"));
        operator().get("/api/v1/workspaces/" + ws).then().statusCode(200).body("eventBusName", equalTo("audit"));
        long unmapped = Api.workspace(tenant);
        operator().get("/api/v1/workspaces/" + unmapped).then().statusCode(200).body("eventBusName", nullValue());

        // Only a bus of the workspace's own tenant: another tenant's bus is as unknown as a missing one.
        for (String bus : List.of("nope", "elsewhere")) {
            operator().body(Map.of("tenantId", tenant, "name", "x" + ws, "eventBusName", bus)).post("/api/v1/workspaces")
                    .then().statusCode(400).body("code", equalTo("InvalidParameter")).body("field", equalTo("eventBusName"));
            operator().body(Map.of("tenantId", tenant, "name", "ws" + ws, "eventBusName", bus)).put("/api/v1/workspaces/" + ws)
                    .then().statusCode(400).body("field", equalTo("eventBusName"));
        }
        operator().body(Map.of("tenantId", tenant, "name", "x" + ws, "eventBusName", "bad name")).post("/api/v1/workspaces")
                .then().statusCode(400).body("field", equalTo("eventBusName"));
        operator().get("/api/v1/workspaces/" + ws).then().statusCode(200).body("eventBusName", equalTo("audit"));

        // A mapped bus cannot be deleted; once the workspace maps to the default bus again, it can.
        operator().delete("/api/v1/tenants/" + tenant + "/event-buses/audit").then().statusCode(409)
                .body("code", equalTo("Conflict")).body("message", org.hamcrest.Matchers.containsString(String.valueOf(ws)));
        operator().body(Map.of("tenantId", tenant, "name", "ws" + ws)).put("/api/v1/workspaces/" + ws)
                .then().statusCode(200).body("eventBusName", nullValue());
        operator().delete("/api/v1/tenants/" + tenant + "/event-buses/audit").then().statusCode(204);
    }

    @Test
    void everyAdminCallNeedsTheOperatorToken() {
        given().contentType("application/json").body(Map.of("id", "xx-east-1", "endpointHost", "h", "gatewayUrl", "http://h"))
                .post("/api/v1/regions").then().statusCode(401).body("code", equalTo("Unauthorized"));
        given().header("Authorization", "Bearer wrong").get("/api/v1/tenants").then().statusCode(401);
        operator().get("/api/v1/regions/xx-east-1").then().statusCode(404);
        // Probes need no token: they are on the management port.
        given().baseUri(liveness.toString()).get().then().statusCode(200);
    }
}
