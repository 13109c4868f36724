package dev.triggerlayer.publisher.subscription.model;

/**
 * Body of an HTTP delivery: the structured CloudEvent, or the flat Function Compute message
 * ({@code contracts/events/fc-message.schema.json}).
 */
public enum DeliveryFormat {
    CLOUDEVENT, FC
}
