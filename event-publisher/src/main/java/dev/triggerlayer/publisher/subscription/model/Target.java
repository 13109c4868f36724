package dev.triggerlayer.publisher.subscription.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A subscription's destination.
 *
 * @param topic  for KAFKA: a topic of the subscription's tenant ({@code tenant.<T>.…})
 * @param url    for HTTP: the endpoint events are POSTed to
 * @param format for HTTP: the body format
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Target(TargetKind kind, String topic, String url, DeliveryFormat format) {
}
