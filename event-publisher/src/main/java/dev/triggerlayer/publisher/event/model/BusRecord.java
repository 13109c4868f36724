package dev.triggerlayer.publisher.event.model;

/** One CloudEvent addressed to one bus topic, ready to send. */
public record BusRecord(String topic, String key, String eventId, String type, String value) {
}
