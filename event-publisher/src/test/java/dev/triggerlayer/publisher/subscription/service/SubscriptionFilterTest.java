package dev.triggerlayer.publisher.subscription.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.publisher.subscription.model.EventFilter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionFilterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String INSTANCE = "dataworks:InstanceStatusChanges:InstanceStatusChanges";
    static final String DAG = "dataworks:DagStatusChanges:DagStatusChanges";

    static JsonNode instanceEvent(long tenant, long workspace) {
        return JSON.createObjectNode().put("type", INSTANCE).set("data",
                JSON.createObjectNode().put("tenantId", tenant).put("appId", workspace).put("eventCode", "instance-status-changes"));
    }

    static JsonNode dagEvent(long tenant, long workspace) {
        return JSON.createObjectNode().put("type", DAG).set("data",
                JSON.createObjectNode().put("tenantId", tenant).put("projectId", workspace).put("eventCode", "dag-status-changes"));
    }

    @Test
    void anEmptyFilterTakesEveryEventOfItsTenant() {
        assertTrue(SubscriptionFilter.matches(1, null, EventFilter.all(), instanceEvent(1, 10)));
        assertTrue(SubscriptionFilter.matches(1, null, EventFilter.all(), dagEvent(1, 10)));
    }

    @Test
    void anotherTenantsEventNeverMatchesWhateverTheFilter() {
        assertFalse(SubscriptionFilter.matches(1, null, EventFilter.all(), instanceEvent(2, 10)));
        assertFalse(SubscriptionFilter.matches(1, 10L, new EventFilter(List.of(INSTANCE), List.of(), List.of(10L)), instanceEvent(2, 10)));
        assertFalse(SubscriptionFilter.matches(1, null, EventFilter.all(),
                JSON.createObjectNode().put("type", INSTANCE).set("data", JSON.createObjectNode().put("appId", 10))), "no tenant");
    }

    @Test
    void typesFilter() {
        EventFilter onlyDags = new EventFilter(List.of(DAG), List.of(), List.of());
        assertTrue(SubscriptionFilter.matches(1, null, onlyDags, dagEvent(1, 10)));
        assertFalse(SubscriptionFilter.matches(1, null, onlyDags, instanceEvent(1, 10)));
        EventFilter both = new EventFilter(List.of(DAG, INSTANCE), List.of(), List.of());
        assertTrue(SubscriptionFilter.matches(1, null, both, instanceEvent(1, 10)));
    }

    @Test
    void eventCodeFilter() {
        EventFilter codes = new EventFilter(List.of(), List.of("instance-status-changes"), List.of());
        assertTrue(SubscriptionFilter.matches(1, null, codes, instanceEvent(1, 10)));
        assertFalse(SubscriptionFilter.matches(1, null, codes, dagEvent(1, 10)));
    }

    @Test
    void projectFilterReadsAppIdAndProjectId() {
        EventFilter project = new EventFilter(List.of(), List.of(), List.of(10L, 11L));
        assertTrue(SubscriptionFilter.matches(1, null, project, instanceEvent(1, 10)));
        assertTrue(SubscriptionFilter.matches(1, null, project, dagEvent(1, 11)));
        assertFalse(SubscriptionFilter.matches(1, null, project, instanceEvent(1, 12)));
    }

    @Test
    void workspaceScope() {
        assertTrue(SubscriptionFilter.matches(1, 10L, EventFilter.all(), instanceEvent(1, 10)));
        assertTrue(SubscriptionFilter.matches(1, 10L, EventFilter.all(), dagEvent(1, 10)));
        assertFalse(SubscriptionFilter.matches(1, 10L, EventFilter.all(), instanceEvent(1, 11)));
    }

    @Test
    void allGivenListsMustAccept() {
        EventFilter filter = new EventFilter(List.of(INSTANCE), List.of("instance-status-changes"), List.of(10L));
        assertTrue(SubscriptionFilter.matches(1, null, filter, instanceEvent(1, 10)));
        assertFalse(SubscriptionFilter.matches(1, null, filter, instanceEvent(1, 11)));
        assertFalse(SubscriptionFilter.matches(1, null, filter, dagEvent(1, 10)));
    }
}
