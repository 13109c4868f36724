package dev.triggerlayer.publisher.directory.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry feed, record by record, as contracts/registry-feed.md describes it. */
class DirectoryTest {

    final Directory directory = new Directory(new ObjectMapper());

    static String record(String kind, String id, String data) {
        return "{\"kind\":\"" + kind + "\",\"id\":\"" + id + "\",\"changeId\":\"c\",\"changedAt\":\"2026-11-22T08:00:00Z\",\"data\":" + data + "}";
    }

    @Test
    void keepsTheLatestStateOfEachEntityAndForgetsTombstones() {
        directory.apply("tenant/1002", record("tenant", "1002",
                "{\"id\":1002,\"name\":\"t\",\"accountId\":\"acc1\",\"homeRegion\":\"cn-hangzhou\",\"timeZone\":\"Asia/Shanghai\",\"edition\":\"ENTERPRISE\"}"));
        directory.apply("workspace/2002", record("workspace", "2002", "{\"id\":2002,\"tenantId\":1002,\"name\":\"w\",\"publishEvents\":true}"));
        directory.apply("event-bus/1002/default", record("event-bus", "1002/default", "{\"tenantId\":1002,\"name\":\"default\",\"regionId\":\"cn-hangzhou\"}"));
        directory.apply("event-bus/1002/audit", record("event-bus", "1002/audit", "{\"tenantId\":1002,\"name\":\"audit\",\"regionId\":\"cn-hangzhou\"}"));
        directory.apply("user/5", record("user", "5", "{\"id\":5}"));

        assertEquals("acc1", directory.tenant(1002).orElseThrow().accountId());
        assertEquals("cn-hangzhou", directory.tenant(1002).orElseThrow().homeRegion());
        assertTrue(directory.tenant(1002).orElseThrow().receivesEvents(), "Enterprise Edition");
        assertEquals(null, directory.workspace(2002).orElseThrow().eventBusName(), "no bus named: the default bus");
        assertEquals("cn-hangzhou", directory.bus(1002, "audit").orElseThrow().regionId());
        assertTrue(directory.bus(1003, "audit").isEmpty(), "another tenant's bus of that name is not it");
        assertTrue(directory.workspace(2002).orElseThrow().publishEvents());
        assertEquals(List.of("audit", "default"), directory.buses(1002).stream().map(b -> b.name()).toList());

        directory.apply("workspace/2002", record("workspace", "2002", "{\"id\":2002,\"tenantId\":1002,\"publishEvents\":false,\"eventBusName\":\"audit\"}"));
        assertFalse(directory.workspace(2002).orElseThrow().publishEvents(), "the later record wins");
        assertEquals("audit", directory.workspace(2002).orElseThrow().eventBusName());
        directory.apply("tenant/1002", record("tenant", "1002", "{\"id\":1002,\"accountId\":\"acc1\",\"edition\":\"STANDARD\"}"));
        assertFalse(directory.tenant(1002).orElseThrow().receivesEvents(), "not Enterprise: no events");

        directory.apply("workspace/2002", null);
        directory.apply("event-bus/1002/audit", null);
        assertTrue(directory.workspace(2002).isEmpty(), "tombstone deletes");
        assertEquals(List.of("default"), directory.buses(1002).stream().map(b -> b.name()).toList());
        assertTrue(directory.buses(1003).isEmpty());
    }

    @Test
    void aBadRecordIsSkippedNotFatal() {
        directory.apply("workspace/1", "not json");
        directory.apply("workspace/x", record("workspace", "x", "{\"tenantId\":1}"));
        directory.apply(null, null);
        directory.apply("workspace/2", record("workspace", "2", "{\"tenantId\":1}"));
        assertTrue(directory.workspace(2).orElseThrow().publishEvents(), "the registry's default");
    }
}
