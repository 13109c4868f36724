package dev.triggerlayer.scheduler;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;

/**
 * Least privilege between services: the gateway's token (role {@code reader}) reads task
 * instances and nothing else; in particular it cannot deploy a workflow (which may carry a shell
 * script), operate instances or read run logs.
 */
@QuarkusTest
class OperatorScopesTest {

    private static final String READER = "Bearer test-query-token";

    @Test
    void theQueryTokenReadsTaskInstances() {
        given().header("Authorization", READER).get("/api/v1/instances/987654321").then().statusCode(404);
        given().header("Authorization", READER).get("/api/v1/instances?ProjectId=1&BizDate=1796054400000").then().statusCode(200);
    }

    @Test
    void theQueryTokenCannotWriteOrReadAnythingElse() {
        given().header("Authorization", READER).contentType("application/json").body("{}").post("/api/v1/workflows").then().statusCode(403);
        given().header("Authorization", READER).get("/api/v1/workflows/1").then().statusCode(403);
        given().header("Authorization", READER).get("/api/v1/instances/1/log").then().statusCode(403);
        given().header("Authorization", READER).get("/api/v1/instances/1/runs").then().statusCode(403);
        given().header("Authorization", READER).contentType("application/json").body("{}").put("/api/v1/resource-groups/g1").then().statusCode(403);
        given().header("Authorization", READER).get("/api/v1/resource-groups").then().statusCode(403);
    }

    @Test
    void anUnknownTokenIsRefused() {
        given().header("Authorization", "Bearer not-a-token").get("/api/v1/instances/1").then().statusCode(401);
    }
}
