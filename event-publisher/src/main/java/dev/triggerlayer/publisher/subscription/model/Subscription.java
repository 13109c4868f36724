package dev.triggerlayer.publisher.subscription.model;

import dev.triggerlayer.publisher.bus.service.TopicNames;
import dev.triggerlayer.kit.crypto.SealedSecrets;

import java.time.Instant;

/**
 * A tenant's subscription to its events on one of its buses.
 *
 * @param workspaceId      when set, only events of this workspace
 * @param sealedSecret     HTTP targets: the HMAC signing secret, sealed; null for KAFKA targets
 * @param replayFrom       the latest replay request's starting point, if any
 * @param replayGeneration counts replay requests, so every replica's lane applies each one once
 */
public record Subscription(long id, long tenantId, Long workspaceId, String name, String busName, EventFilter filter,
                           Target target, SealedSecrets.Sealed sealedSecret, Instant replayFrom, int replayGeneration,
                           Instant createdAt, Instant updatedAt) {

    /** The bus topic the subscription reads. */
    public String busTopic() {
        return TopicNames.bus(tenantId, busName);
    }

    /** Consumer group of the subscription's delivery lane; replicas share it and split the bus's partitions. */
    public String groupId() {
        return "event-publisher.subscription." + id;
    }

    /** Associated data of the sealed secret: it opens only on this subscription. */
    public String secretOwner() {
        return secretOwner(id);
    }

    public static String secretOwner(long id) {
        return "subscription/" + id;
    }
}
