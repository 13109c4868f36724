package dev.triggerlayer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.kit.crypto.SealedSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.triggerlayer.registry.Api.operator;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An AccessKey secret never appears readable in the database, the feed or the logs. */
@QuarkusTest
class AccessKeySecretTest {

    @Inject
    Pool pool;

    @Inject
    @Named("feed")
    SealedSecrets feedRing;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void secretIsSealedInRowsFeedAndNeverLogged() {
        List<String> logLines = new CopyOnWriteArrayList<>();
        ExtHandler capture = new ExtHandler() {
            @Override
            protected void doPublish(ExtLogRecord record) {
                logLines.add(record.getFormattedMessage() + " " + record.getThrown());
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String[] key;
        try {
            long user = Api.user(Api.tenant(Api.region()), "SUB");
            key = Api.accessKey(user);
            operator().post("/api/v1/access-keys/" + key[0] + "/disable").then().statusCode(200);
        } finally {
            root.removeHandler(capture);
        }
        String secret = key[1];
        assertEquals(30, secret.length());

        Row row = pool.preparedQuery("select * from access_key where id = $1").execute(Tuple.of(key[0]))
                .await().atMost(Duration.ofSeconds(5)).iterator().next();
        byte[] stored = row.getBuffer("secret_ciphertext").getBytes();
        assertFalse(contains(stored, secret.getBytes(StandardCharsets.UTF_8)), "plaintext secret in the stored bytes");
        for (int i = 0; i < row.size(); i++) {
            Object value = row.getValue(i);
            assertFalse(String.valueOf(value).contains(secret), "secret readable in column " + row.getColumnName(i));
        }
        long leaks = pool.preparedQuery("select count(*) from outbox where payload like $1").execute(Tuple.of("%" + secret + "%"))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertEquals(0, leaks, "secret readable in the outbox");
        assertTrue(logLines.stream().noneMatch(l -> l.contains(secret)), "secret in the logs");

        // On the feed it is sealed under the feed ring, and only that ring opens it.
        try (FeedReader feed = new FeedReader(bootstrap, "registry.changes")) {
            JsonNode[] record = new JsonNode[1];
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                record[0] = feed.poll().get("access-key/" + key[0]);
                return record[0] != null && !record[0].path("data").path("enabled").asBoolean(true);
            });
            JsonNode data = record[0].path("data");
            assertFalse(record[0].toString().contains(secret), "plaintext secret on the feed");
            String opened = feedRing.open(new SealedSecrets.Sealed(data.path("secretKeyId").asText(),
                    Base64.getDecoder().decode(data.path("sealedSecret").asText())), key[0]);
            assertEquals(secret, opened);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
