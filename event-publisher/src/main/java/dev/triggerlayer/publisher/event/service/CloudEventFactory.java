package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.EventDraft;

import java.time.Instant;
import java.util.Optional;

/**
 * The CloudEvents 1.0 structured-JSON envelope ({@code contracts/events/cloudevent-envelope.schema.json}).
 *
 * <p>{@code subject} is not documented by the reference; we publish
 * {@code acs.dataworks:<regionId>:<accountId>:workspace/<workspaceId>/instance/<taskInstanceId>}
 * (or {@code .../dag/<dagInstanceId>}, or just {@code .../workspace/<workspaceId>} for an
 * operation on a set of instances), so that consumers can tell which resource changed without
 * reading {@code data} (see {@code contracts/publisher-topics.md}).
 */
public final class CloudEventFactory {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE = "acs.dataworks";
    public static final String DATA_CONTENT_TYPE = "application/json;charset=utf-8";
    /** Media type of a structured-mode CloudEvent on the wire (HTTP, Kafka header). */
    public static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents+json; charset=utf-8";

    private final ObjectMapper json;

    public CloudEventFactory(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The complete event of {@code draft} as published on the tenant's bus {@code busName}.
     * Every attribute but {@code aliyunpublishtime} depends only on the change, the tenant and
     * the bus, so a republished change carries the same {@code id} and content.
     */
    public ObjectNode envelope(EventDraft draft, TenantEntry tenant, String busName, Instant publishedAt,
                               Optional<String> publishAddr) {
        String region = nonBlank(tenant.homeRegion(), "unknown");
        String account = nonBlank(tenant.accountId(), String.valueOf(tenant.id()));
        ObjectNode event = json.createObjectNode();
        event.put("specversion", SPEC_VERSION);
        event.put("id", draft.id());
        event.put("source", SOURCE);
        event.put("type", draft.type().type());
        event.put("subject", SOURCE + ":" + region + ":" + account + ":" + draft.subjectPath());
        event.put("time", EventTimes.rfc3339(draft.time(), draft.zone()));
        event.put("datacontenttype", DATA_CONTENT_TYPE);
        event.put("aliyunaccountid", account);
        event.put("aliyunregionid", region);
        event.put("aliyuneventbusname", busName);
        event.put("aliyunpublishtime", EventTimes.publishTime(publishedAt));
        publishAddr.filter(a -> !a.isBlank()).ifPresent(a -> event.put("aliyunpublishaddr", a));
        event.set("data", draft.data().deepCopy());
        return event;
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
