package dev.triggerlayer.publisher.subscription.model;

/** Where a subscription's events go: a Kafka topic of its tenant, or an HTTP endpoint. */
public enum TargetKind {
    KAFKA, HTTP
}
