package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * The flat Function Compute message ({@code contracts/events/fc-message.schema.json}) of a
 * CloudEvent, for HTTP subscriptions with format FC. As the schema README decides:
 * {@code messageId} is the CloudEvent id, {@code messageBody} its data, {@code eventType} the
 * event code, {@code eventCategoryType} the kebab-case middle segment of the type. An extension
 * point event carries its {@code extensionBizId} (the held operation) and {@code blockBusiness}
 * true; every other event opens no check: an empty {@code extensionBizId}, {@code blockBusiness}
 * false.
 */
public final class FcMessage {

    private FcMessage() {
    }

    public static ObjectNode of(ObjectMapper json, JsonNode cloudEvent) {
        JsonNode data = cloudEvent.path("data");
        ObjectNode message = json.createObjectNode();
        message.put("messageId", cloudEvent.path("id").asText());
        message.set("messageBody", data.deepCopy());
        message.put("eventType", data.path("eventCode").asText());
        message.put("eventCategoryType", category(cloudEvent.path("type").asText()));
        message.put("extensionBizId", data.path("extensionBizId").asText(""));
        message.put("blockBusiness", data.path("blockBusiness").asBoolean(false) && data.has("extensionBizId"));
        return message;
    }

    /** {@code dataworks:InstanceChange:FreezeInstance} → {@code instance-change}. */
    static String category(String type) {
        String[] parts = type.split(":");
        String middle = parts.length == 3 ? parts[1] : type;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < middle.length(); i++) {
            char c = middle.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                out.append('-');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
