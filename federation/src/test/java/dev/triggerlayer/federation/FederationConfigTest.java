package dev.triggerlayer.federation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MirrorMaker 2 configuration a federation gets from contracts/topics.json and its file. */
class FederationConfigTest {

    @Test
    void everyOrderedPairIsAFlowOfExactlyTheFederatedTopics() {
        Map<String, String> c = FederationConfig.effective(Map.of("clusters", "cn-hangzhou, cn-shanghai",
                "cn-hangzhou.bootstrap.servers", "a:9092", "cn-shanghai.bootstrap.servers", "b:9092"));
        assertEquals("true", c.get("cn-hangzhou->cn-shanghai.enabled"));
        assertEquals("true", c.get("cn-shanghai->cn-hangzhou.enabled"));
        Pattern allow = Pattern.compile(c.get("cn-shanghai->cn-hangzhou.topics"));
        assertEquals(List.of("registry.changes", "scheduler.nodes", "federation.trigger-commands", "federation.trigger-outcomes"),
                FederationConfig.federatedTopics());
        for (String topic : FederationConfig.federatedTopics()) {
            assertTrue(allow.matcher(topic).matches(), topic);
        }
        for (String other : List.of("scheduler.trigger-commands", "scheduler.instance-changes", "tenant.1002.bus.default",
                "cn-hangzhou.registry.changes", "registryXchanges", "registry.changes.x")) {
            assertFalse(allow.matcher(other).matches(), other + " is not replicated (copies never travel back)");
        }
        assertEquals("org.apache.kafka.connect.mirror.DefaultReplicationPolicy", c.get("replication.policy.class"));
    }

    @Test
    void theFileWinsOverTheDefaultsButNotOverTheAllowList() {
        Map<String, String> c = FederationConfig.effective(Map.of("clusters", "a,b", "a.bootstrap.servers", "a:1", "b.bootstrap.servers", "b:1",
                "refresh.topics.interval.seconds", "60", "a->b.topics", ".*", "b->a.enabled", "false"));
        assertEquals("60", c.get("refresh.topics.interval.seconds"));
        assertEquals(FederationConfig.topicsAllowList(), c.get("a->b.topics"));
        assertEquals("false", c.get("b->a.enabled"), "a direction can be switched off");

        Map<String, String> one = FederationConfig.effective(Map.of("clusters", "a,b", "a.bootstrap.servers", "a:1", "b.bootstrap.servers", "b:1",
                "replication.factor", "1", "status.storage.replication.factor", "3"));
        assertEquals("1", one.get("offset-syncs.topic.replication.factor"), "one factor for MirrorMaker's own topics too");
        assertEquals("1", one.get("config.storage.replication.factor"));
        assertEquals("3", one.get("status.storage.replication.factor"), "unless given");
    }

    @Test
    void aFileWithoutTwoClustersAndTheirAddressesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FederationConfig.effective(Map.of("a.bootstrap.servers", "x")));
        assertThrows(IllegalArgumentException.class, () -> FederationConfig.effective(Map.of("clusters", "a", "a.bootstrap.servers", "x")));
        assertThrows(IllegalArgumentException.class, () -> FederationConfig.effective(Map.of("clusters", "a,b", "a.bootstrap.servers", "x")));
        assertTrue(FederationConfig.secret("a.sasl.jaas.config"));
        assertTrue(FederationConfig.secret("b.ssl.truststore.password"));
        assertFalse(FederationConfig.secret("a.bootstrap.servers"));
    }
}
