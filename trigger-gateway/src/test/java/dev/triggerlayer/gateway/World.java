package dev.triggerlayer.gateway;

import dev.triggerlayer.kit.crypto.SealedSecrets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The registry and scheduler state the gateway tests need, published as the registry's change feed
 * and the scheduler's node directory (contracts/registry-feed.md, contracts/scheduler-records.md).
 */
public final class World {

    public static final long TENANT_A = 52001, TENANT_B = 52002, TENANT_C = 52003;
    public static final long A_ROOT = 61001, B_DEV = 62002, B_VISITOR = 62003, C_ROOT = 63001;
    public static final long WS_B = 72002, WS_C = 72003;
    /** HTTP trigger nodes: B's (granted to A), B's (not granted to A), C's (edition without the feature), B's in Dev. */
    public static final long NODE_B = 81001, NODE_B_UNGRANTED = 81002, NODE_C = 81003, NODE_B_DEV = 81004;

    public record Key(String id, String secret) {
    }

    public static final Key A_KEY = new Key("LTAItestAroot0000000001", "secretAroot0123456789abcdefghij");
    public static final Key B_DEV_KEY = new Key("LTAItestBdev00000000001", "secretBdev01234567890abcdefghij");
    public static final Key B_VISITOR_KEY = new Key("LTAItestBvisitor000001", "secretBvisitor0123456789abcdefg");
    public static final Key C_KEY = new Key("LTAItestCroot000000001", "secretCroot0123456789abcdefghij");
    public static final Key DISABLED_KEY = new Key("LTAItestDisabled000001", "secretDisabled0123456789abcdefg");
    public static final Key THROTTLED_KEY = new Key("LTAItestThrottle000001", "secretThrottle0123456789abcdefg");

    static final String FEED_KEY_ID = "f1";
    static final String FEED_KEY = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU=";

    private static boolean published;

    private World() {
    }

    public static synchronized void publish(String bootstrap) {
        if (published) {
            return;
        }
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            tenant(p, TENANT_A, true);
            tenant(p, TENANT_B, true);
            tenant(p, TENANT_C, false);
            user(p, A_ROOT, TENANT_A, "ROOT");
            user(p, B_DEV, TENANT_B, "SUB");
            user(p, B_VISITOR, TENANT_B, "SUB");
            user(p, C_ROOT, TENANT_C, "ROOT");
            workspace(p, WS_B, TENANT_B);
            workspace(p, WS_C, TENANT_C);
            member(p, WS_B, B_DEV, TENANT_B, true);
            member(p, WS_B, B_VISITOR, TENANT_B, false);
            key(p, A_KEY, TENANT_A, A_ROOT, true);
            key(p, B_DEV_KEY, TENANT_B, B_DEV, true);
            key(p, B_VISITOR_KEY, TENANT_B, B_VISITOR, true);
            key(p, C_KEY, TENANT_C, C_ROOT, true);
            key(p, DISABLED_KEY, TENANT_B, B_DEV, false);
            key(p, THROTTLED_KEY, TENANT_B, B_DEV, true);
            feed(p, "grant/9001", "{\"id\":9001,\"tenantId\":" + TENANT_B + ",\"workspaceId\":" + WS_B + ",\"granteeTenantId\":" + TENANT_A
                    + ",\"granteeUserId\":" + A_ROOT + ",\"nodeIds\":[" + NODE_B + "],\"expiresAt\":\"" + Instant.now().plusSeconds(86400 * 30) + "\"}");
            node(p, NODE_B, WS_B, TENANT_B, "Prod");
            node(p, NODE_B_UNGRANTED, WS_B, TENANT_B, "Prod");
            node(p, NODE_C, WS_C, TENANT_C, "Prod");
            node(p, NODE_B_DEV, WS_B, TENANT_B, "Dev");
            p.flush();
        }
        published = true;
    }

    private static void tenant(KafkaProducer<String, String> p, long id, boolean enterprise) {
        feed(p, "tenant/" + id, "{\"id\":" + id + ",\"accountId\":\"acc" + id + "\",\"edition\":\"" + (enterprise ? "ENTERPRISE" : "STANDARD")
                + "\",\"httpTriggerNodesAllowed\":" + enterprise + "}");
    }

    private static void user(KafkaProducer<String, String> p, long id, long tenant, String kind) {
        feed(p, "user/" + id, "{\"id\":" + id + ",\"tenantId\":" + tenant + ",\"kind\":\"" + kind + "\"}");
    }

    private static void workspace(KafkaProducer<String, String> p, long id, long tenant) {
        feed(p, "workspace/" + id, "{\"id\":" + id + ",\"tenantId\":" + tenant + "}");
    }

    private static void member(KafkaProducer<String, String> p, long ws, long user, long tenant, boolean mayTrigger) {
        feed(p, "member/" + ws + "/" + user, "{\"workspaceId\":" + ws + ",\"userId\":" + user + ",\"tenantId\":" + tenant
                + ",\"roles\":[\"" + (mayTrigger ? "DEVELOP" : "VISITOR") + "\"],\"mayTrigger\":" + mayTrigger + "}");
    }

    private static void key(KafkaProducer<String, String> p, Key key, long tenant, long user, boolean enabled) {
        feed(p, "access-key/" + key.id(), "{\"accessKeyId\":\"" + key.id() + "\",\"tenantId\":" + tenant + ",\"userId\":" + user
                + ",\"enabled\":" + enabled + ",\"secretKeyId\":\"" + FEED_KEY_ID + "\",\"sealedSecret\":\"" + seal(key) + "\"}");
    }

    private static void node(KafkaProducer<String, String> p, long id, long ws, long tenant, String env) {
        p.send(new ProducerRecord<>("scheduler.nodes", String.valueOf(id), "{\"nodeId\":" + id + ",\"workflowId\":1,\"tenantId\":" + tenant
                + ",\"workspaceId\":" + ws + ",\"env\":\"" + env + "\",\"name\":\"n" + id + "\",\"type\":\"HTTP_TRIGGER\",\"frozen\":false}"));
    }

    private static void feed(KafkaProducer<String, String> p, String key, String data) {
        String kind = key.substring(0, key.indexOf('/'));
        p.send(new ProducerRecord<>("registry.changes", key, "{\"kind\":\"" + kind + "\",\"id\":\"" + key.substring(key.indexOf('/') + 1)
                + "\",\"changeId\":\"" + java.util.UUID.randomUUID() + "\",\"changedAt\":\"" + Instant.now() + "\",\"data\":" + data + "}"));
    }

    /** Seals a secret the way the registry does on its feed (the kit's codec, with the feed key). */
    static String seal(Key key) {
        return SealedSecrets.ring("test feed", FEED_KEY_ID, Map.of(FEED_KEY_ID, FEED_KEY)).seal(key.secret(), key.id()).base64();
    }

    static List<Key> allKeys() {
        return List.of(A_KEY, B_DEV_KEY, B_VISITOR_KEY, C_KEY, DISABLED_KEY, THROTTLED_KEY);
    }
}
