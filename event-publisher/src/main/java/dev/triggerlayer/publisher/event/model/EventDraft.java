package dev.triggerlayer.publisher.event.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneId;

/**
 * An event before it is addressed to a bus: everything but the attributes that depend on the
 * bus and the moment of publication.
 *
 * @param id          CloudEvents id, stable across redelivery of the change
 * @param key         Kafka key on the bus: the instance or DAG, so its events stay in order
 * @param time        when the change happened, written in {@code zone}
 * @param subjectPath the resource path within the tenant, e.g. {@code workspace/2002/instance/100123}
 * @param data        the documented payload
 */
public record EventDraft(String id, EventType type, long tenantId, long workspaceId, String key, Instant time,
                         ZoneId zone, String subjectPath, ObjectNode data) {
}
