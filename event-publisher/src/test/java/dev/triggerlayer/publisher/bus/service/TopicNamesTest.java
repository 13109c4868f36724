package dev.triggerlayer.publisher.bus.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicNamesTest {

    @Test
    void tenantTopicsShareOnePrefix() {
        assertEquals("tenant.1002.", TopicNames.tenantPrefix(1002));
        assertEquals("tenant.1002.bus.default", TopicNames.bus(1002, "default"));
        assertEquals("tenant.1002.dlq", TopicNames.deadLetters(1002));
        assertTrue(TopicNames.bus(1002, "audit").startsWith(TopicNames.tenantPrefix(1002)));
        assertTrue(TopicNames.deadLetters(1002).startsWith(TopicNames.tenantPrefix(1002)));
    }

    @Test
    void thePrefixOfOneTenantNeverCoversAnother() {
        // Without the trailing dot, tenant 1's ACL would cover tenant 10, 100, 1002 ...
        assertTrue(TopicNames.belongsTo("tenant.1.bus.default", 1));
        assertFalse(TopicNames.belongsTo("tenant.10.bus.default", 1));
        assertFalse(TopicNames.belongsTo("tenant.1002.bus.default", 100));
        assertFalse(TopicNames.belongsTo("tenant.1002.bus.default", 1003));
        assertFalse(TopicNames.belongsTo(null, 1));
    }

    @Test
    void aSubscriptionMayTargetOnlyItsOwnTenantsFreeTopics() {
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.1002.events.ops").isEmpty());
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.1002.x").isEmpty());
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.1003.events").isPresent(), "another tenant's topic");
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.10020.events").isPresent(), "a longer tenant id");
        assertTrue(TopicNames.targetTopicProblem(1002, "events").isPresent(), "outside every tenant");
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.1002.").isPresent(), "the bare prefix");
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.1002.bus.default").isPresent(), "a bus would loop");
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.1002.bus.other").isPresent(), "any bus");
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.1002.dlq").isPresent(), "the dead letters");
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.1002.a b").isPresent(), "illegal character");
        assertTrue(TopicNames.targetTopicProblem(1002, "tenant.1002." + "x".repeat(240)).isPresent(), "too long");
        assertTrue(TopicNames.targetTopicProblem(1002, null).isPresent());
    }

    @Test
    void busNamesUseTheRegistryAlphabet() {
        assertTrue(TopicNames.isValidBusName("default"));
        assertTrue(TopicNames.isValidBusName("ops_bus-1.eu"));
        assertFalse(TopicNames.isValidBusName(""));
        assertFalse(TopicNames.isValidBusName("a/b"));
        assertFalse(TopicNames.isValidBusName(".."));
        assertFalse(TopicNames.isValidBusName("x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> TopicNames.bus(1, "a b"));
    }
}
