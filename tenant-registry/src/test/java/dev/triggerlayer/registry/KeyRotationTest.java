package dev.triggerlayer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.kit.crypto.SealedSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Map;

import static dev.triggerlayer.registry.Api.operator;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * After the at-rest key rotates (k2 active, k1 still in the ring), a secret sealed under k1 keeps
 * working, and re-sealing moves it to k2 without changing it.
 */
@QuarkusTest
@TestProfile(KeyRotationTest.RotatedKey.class)
class KeyRotationTest {

    /** The test profile's at-rest key k1 (application.properties). */
    static final String K1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    public static class RotatedKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.at-rest.active", "k2");
        }
    }

    @Inject
    Pool pool;

    @Inject
    @Named("feed")
    SealedSecrets feedRing;

    @Inject
    @Named("at-rest")
    SealedSecrets atRest;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void secretsSealedUnderTheOldKeyKeepWorking() {
        long tenant = Api.tenant(Api.region());
        long user = Api.user(tenant, "SUB");
        String id = "LTAIrotation" + Long.toString(Api.uniqueId(), 36);
        String secret = "sealed-before-the-rotation-0001";
        SealedSecrets oldRing = SealedSecrets.ring("old", "k1", Map.of("k1", K1));
        SealedSecrets.Sealed sealed = oldRing.seal(secret, id);
        OffsetDateTime now = OffsetDateTime.now();
        pool.preparedQuery("insert into access_key (id, tenant_id, user_id, secret_ciphertext, secret_key_id, enabled, created_at, updated_at) "
                        + "values ($1, $2, $3, $4, $5, true, $6, $6)")
                .execute(Tuple.tuple().addString(id).addLong(tenant).addLong(user).addBuffer(Buffer.buffer(sealed.bytes()))
                        .addString(sealed.keyId()).addOffsetDateTime(now))
                .await().atMost(Duration.ofSeconds(5));

        // Disabling publishes the key with its secret, which needs the old key to open it.
        operator().post("/api/v1/access-keys/" + id + "/disable").then().statusCode(200);
        try (FeedReader feed = new FeedReader(bootstrap, "registry.changes")) {
            JsonNode[] data = new JsonNode[1];
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode r = feed.poll().get("access-key/" + id);
                data[0] = r == null ? null : r.get("data");
                return data[0] != null && !data[0].path("enabled").asBoolean(true);
            });
            assertEquals(secret, feedRing.open(new SealedSecrets.Sealed(data[0].path("secretKeyId").asText(),
                    Base64.getDecoder().decode(data[0].path("sealedSecret").asText())), id));
        }

        operator().post("/api/v1/access-keys/reseal").then().statusCode(200).body("resealed", greaterThanOrEqualTo(1));
        var row = pool.preparedQuery("select secret_key_id, secret_ciphertext from access_key where id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertEquals("k2", row.getString("secret_key_id"));
        assertEquals(secret, atRest.open(new SealedSecrets.Sealed("k2", row.getBuffer("secret_ciphertext").getBytes()), id));
    }
}
