package dev.triggerlayer.registry;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Admin API calls as an operator, and unique test data (tests share one database per JVM). */
public final class Api {

    public static final String TOKEN = "test-operator-token";

    private Api() {
    }

    public static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    public static long uniqueId() {
        return ThreadLocalRandom.current().nextLong(10_000_000L, 9_000_000_000L);
    }

    public static String region() {
        String id = "test-" + Long.toString(uniqueId(), 36);
        operator().body(Map.of("id", id, "endpointHost", "dataworks." + id + ".example.com",
                        "gatewayUrl", "http://gw." + id + ".example.com", "eventBuses", java.util.List.of("default")))
                .post("/api/v1/regions").then().statusCode(201);
        return id;
    }

    public static long tenant(String region) {
        long id = uniqueId();
        operator().body(Map.of("id", id, "name", "t" + id, "accountId", "acc" + id, "edition", "ENTERPRISE", "homeRegion", region))
                .post("/api/v1/tenants").then().statusCode(201);
        return id;
    }

    public static long workspace(long tenantId) {
        long id = uniqueId();
        operator().body(Map.of("id", id, "tenantId", tenantId, "name", "ws" + id))
                .post("/api/v1/workspaces").then().statusCode(201);
        return id;
    }

    public static long user(long tenantId, String kind) {
        long id = uniqueId();
        operator().body(Map.of("id", id, "name", "u" + id, "kind", kind))
                .post("/api/v1/tenants/" + tenantId + "/users").then().statusCode(201);
        return id;
    }

    /** Creates an AccessKey and returns {@code [id, secret]}. */
    public static String[] accessKey(long userId) {
        var body = operator().post("/api/v1/users/" + userId + "/access-keys").then().statusCode(201).extract().jsonPath();
        return new String[] {body.getString("accessKeyId"), body.getString("accessKeySecret")};
    }
}
