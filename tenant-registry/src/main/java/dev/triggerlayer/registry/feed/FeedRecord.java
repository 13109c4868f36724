package dev.triggerlayer.registry.feed;

import java.time.Instant;
import java.util.UUID;

/**
 * The value of a change-feed record (see {@code contracts/registry-feed.md}). The record key is
 * {@code kind/id}; a deletion is a tombstone (null value) so compaction forgets the entity.
 *
 * @param kind      entity kind: region, tenant, workspace, user, member, access-key, grant, event-bus
 * @param id        the entity's id within its kind (composite ids joined by '/')
 * @param changeId  unique per change, so consumers can de-duplicate redelivery
 * @param changedAt when the change was committed
 * @param data      the entity's state, as the admin API shows it (plus the sealed secret for keys)
 */
public record FeedRecord(String kind, String id, UUID changeId, Instant changedAt, Object data) {

    public String key() {
        return kind + "/" + id;
    }
}
