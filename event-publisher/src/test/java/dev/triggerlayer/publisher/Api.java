package dev.triggerlayer.publisher;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Subscription API calls as an operator, and unique ids (the tests share one broker and database). */
public final class Api {

    public static final String TOKEN = "test-operator-token";
    public static final String INSTANCE_TYPE = "dataworks:InstanceStatusChanges:InstanceStatusChanges";
    public static final String DAG_TYPE = "dataworks:DagStatusChanges:DagStatusChanges";

    private Api() {
    }

    public static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    public static long uniqueId() {
        return ThreadLocalRandom.current().nextLong(10_000_000L, 9_000_000_000L);
    }

    /** Creates an HTTP subscription of all the tenant's events (or those types) and returns the answer. */
    public static JsonPath httpSubscription(long tenantId, String url, String format, List<String> types) {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("kind", "HTTP");
        target.put("url", url);
        if (format != null) {
            target.put("format", format);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", tenantId);
        body.put("name", "http-" + uniqueId());
        body.put("target", target);
        if (types != null) {
            body.put("filter", Map.of("types", types));
        }
        return operator().body(body).post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath();
    }

    /** Creates a subscription forwarding all the tenant's events to {@code topic}. */
    public static JsonPath kafkaSubscription(long tenantId, String topic) {
        return operator().body(Map.of("tenantId", tenantId, "name", "kafka-" + uniqueId(),
                        "target", Map.of("kind", "KAFKA", "topic", topic)))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath();
    }

    public static void delete(long subscriptionId) {
        operator().delete("/api/v1/subscriptions/" + subscriptionId).then().statusCode(204);
    }
}
