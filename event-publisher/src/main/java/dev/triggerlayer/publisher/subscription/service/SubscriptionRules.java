package dev.triggerlayer.publisher.subscription.service;

import dev.triggerlayer.publisher.bus.service.TopicNames;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.net.OutboundUrls;
import dev.triggerlayer.publisher.subscription.model.DeliveryFormat;
import dev.triggerlayer.publisher.subscription.model.EventFilter;
import dev.triggerlayer.publisher.subscription.model.SubscriptionInput;
import dev.triggerlayer.publisher.subscription.model.Target;
import dev.triggerlayer.publisher.subscription.model.TargetKind;

import java.util.LinkedHashSet;
import java.util.List;

/** The checks of a subscription's input that need no lookup; each failure names its field. */
public final class SubscriptionRules {

    private SubscriptionRules() {
    }

    public static String busName(SubscriptionInput input, String defaultName) {
        String name = input.busName() == null || input.busName().isBlank() ? defaultName : input.busName().trim();
        if (!TopicNames.isValidBusName(name)) {
            throw new InvalidInputException("busName", "may contain letters, digits, '_', '.', '-' (at most 64)");
        }
        return name;
    }

    /** The filter with duplicates removed; absent lists accept everything. */
    public static EventFilter filter(SubscriptionInput input) {
        var f = input.filter();
        if (f == null) {
            return EventFilter.all();
        }
        return new EventFilter(distinct(f.types()), distinct(f.eventCodes()), distinct(f.projectIds()));
    }

    public static Target target(long tenantId, SubscriptionInput.TargetInput input) {
        if (input.kind() == TargetKind.KAFKA) {
            if (input.url() != null) {
                throw new InvalidInputException("target.url", "only an HTTP target has a url");
            }
            if (input.format() == DeliveryFormat.FC) {
                throw new InvalidInputException("target.format", "a KAFKA target always carries the CloudEvent");
            }
            String topic = input.topic() == null ? null : input.topic().trim();
            TopicNames.targetTopicProblem(tenantId, topic).ifPresent(problem -> {
                throw new InvalidInputException("target.topic", problem);
            });
            return new Target(TargetKind.KAFKA, topic, null, null);
        }
        if (input.topic() != null) {
            throw new InvalidInputException("target.topic", "only a KAFKA target has a topic");
        }
        return new Target(TargetKind.HTTP, null, url(input.url()),
                input.format() == null ? DeliveryFormat.CLOUDEVENT : input.format());
    }

    static String url(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidInputException("target.url", "is required for an HTTP target");
        }
        try {
            return OutboundUrls.form(raw).toString();
        } catch (OutboundUrls.Refused e) {
            throw new InvalidInputException("target.url", e.getMessage());
        }
    }

    private static <T> List<T> distinct(List<T> values) {
        return values == null ? List.of() : List.copyOf(new LinkedHashSet<>(values));
    }
}
