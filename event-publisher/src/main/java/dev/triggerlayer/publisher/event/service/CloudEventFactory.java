package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.publisher.directory.model.BusEntry;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.EventDraft;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The CloudEvents 1.0 structured-JSON envelope ({@code contracts/events/cloudevent-envelope.schema.json}).
 *
 * <p>{@code subject} is not documented by the reference; we publish
 * {@code acs.dataworks:<regionId>:<accountId>:workspace/<workspaceId>/instance/<taskInstanceId>}
 * (or {@code .../dag/<dagInstanceId>}, or just {@code .../workspace/<workspaceId>} for an
 * operation on a set of instances), so that consumers can tell which resource changed without
 * reading {@code data} (see {@code contracts/publisher-topics.md}). Its region is the tenant's home
 * region, where the resource lives; {@code aliyunregionid} is the region of the bus that received
 * the event. {@code aliyunoriginalaccountid} is the tenant's account id: events never cross
 * accounts here, so the producing account is the receiving one.
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

    /** As {@link #write(EventDraft, TenantEntry, BusEntry, Instant, Optional)}, for a bus in the tenant's home region. */
    public String write(EventDraft draft, TenantEntry tenant, String busName, Instant publishedAt,
                        Optional<String> publishAddr) {
        return write(draft, tenant, new BusEntry(tenant.id(), busName, tenant.homeRegion()), publishedAt, publishAddr);
    }

    /**
     * The complete event of {@code draft} as published on the tenant's bus {@code bus}, as JSON
     * text. Every attribute but {@code aliyunpublishtime} depends only on the change, the tenant
     * and the bus, so a republished change carries the same {@code id} and content. Written field
     * by field rather than as a tree: this runs once per event.
     */
    public String write(EventDraft draft, TenantEntry tenant, BusEntry bus, Instant publishedAt,
                        Optional<String> publishAddr) {
        String home = nonBlank(tenant.homeRegion(), "unknown");
        String busRegion = nonBlank(bus.regionId(), home);
        String account = nonBlank(tenant.accountId(), String.valueOf(tenant.id()));
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("specversion", SPEC_VERSION);
            g.writeStringField("id", draft.id());
            g.writeStringField("source", SOURCE);
            g.writeStringField("type", draft.type().type());
            g.writeStringField("subject", SOURCE + ":" + home + ":" + account + ":" + draft.subjectPath());
            g.writeStringField("time", EventTimes.rfc3339(draft.time(), draft.zone()));
            g.writeStringField("datacontenttype", DATA_CONTENT_TYPE);
            g.writeStringField("aliyunaccountid", account);
            g.writeStringField("aliyunoriginalaccountid", account);
            g.writeStringField("aliyunregionid", busRegion);
            g.writeStringField("aliyuneventbusname", bus.name());
            g.writeStringField("aliyunpublishtime", EventTimes.publishTime(publishedAt));
            Optional<String> addr = publishAddr.filter(a -> !a.isBlank());
            if (addr.isPresent()) {
                g.writeStringField("aliyunpublishaddr", addr.get());
            }
            g.writeFieldName("data");
            json.writeTree(g, draft.data());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an event as JSON", e);
        }
        return out.toString();
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
