package dev.triggerlayer.publisher.subscription.service;

import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.publisher.subscription.model.DeliveryFormat;
import dev.triggerlayer.publisher.subscription.model.SubscriptionInput;
import dev.triggerlayer.publisher.subscription.model.Target;
import dev.triggerlayer.publisher.subscription.model.TargetKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubscriptionRulesTest {

    @Test
    void kafkaTargetMustBeAFreeTopicOfTheTenant() {
        Target ok = SubscriptionRules.target(7, new SubscriptionInput.TargetInput(TargetKind.KAFKA, "tenant.7.events", null, null));
        assertEquals("tenant.7.events", ok.topic());
        assertEquals("target.topic", refused(() -> SubscriptionRules.target(7,
                new SubscriptionInput.TargetInput(TargetKind.KAFKA, "tenant.8.events", null, null))));
        assertEquals("target.topic", refused(() -> SubscriptionRules.target(7,
                new SubscriptionInput.TargetInput(TargetKind.KAFKA, "tenant.7.bus.default", null, null))));
        assertEquals("target.topic", refused(() -> SubscriptionRules.target(7,
                new SubscriptionInput.TargetInput(TargetKind.KAFKA, null, null, null))));
        assertEquals("target.url", refused(() -> SubscriptionRules.target(7,
                new SubscriptionInput.TargetInput(TargetKind.KAFKA, "tenant.7.events", "http://x", null))));
        assertEquals("target.format", refused(() -> SubscriptionRules.target(7,
                new SubscriptionInput.TargetInput(TargetKind.KAFKA, "tenant.7.events", null, DeliveryFormat.FC))));
    }

    @Test
    void httpTargetNeedsAnAbsoluteHttpUrl() {
        Target ok = SubscriptionRules.target(7, new SubscriptionInput.TargetInput(TargetKind.HTTP, null, "https://hooks.example.com/x?a=1", null));
        assertEquals(DeliveryFormat.CLOUDEVENT, ok.format(), "CloudEvent by default");
        assertEquals(DeliveryFormat.FC, SubscriptionRules.target(7,
                new SubscriptionInput.TargetInput(TargetKind.HTTP, null, "http://127.0.0.1:8080/", DeliveryFormat.FC)).format());
        for (String bad : List.of("ftp://x/y", "/relative", "http://", "not a url", "http://user:pw@host/")) {
            assertEquals("target.url", refused(() -> SubscriptionRules.target(7,
                    new SubscriptionInput.TargetInput(TargetKind.HTTP, null, bad, null))), bad);
        }
        assertEquals("target.url", refused(() -> SubscriptionRules.target(7,
                new SubscriptionInput.TargetInput(TargetKind.HTTP, null, null, null))));
        assertEquals("target.topic", refused(() -> SubscriptionRules.target(7,
                new SubscriptionInput.TargetInput(TargetKind.HTTP, "tenant.7.x", "http://h/", null))));
    }

    @Test
    void busNameDefaultsAndIsChecked() {
        SubscriptionInput noBus = new SubscriptionInput(7L, null, "s", null, null,
                new SubscriptionInput.TargetInput(TargetKind.HTTP, null, "http://h/", null));
        assertEquals("default", SubscriptionRules.busName(noBus, "default"));
        SubscriptionInput badBus = new SubscriptionInput(7L, null, "s", "a/b", null, noBus.target());
        assertEquals("busName", refused(() -> SubscriptionRules.busName(badBus, "default")));
    }

    @Test
    void filterListsAreDeduplicatedAndDefaultToEverything() {
        SubscriptionInput none = new SubscriptionInput(7L, null, "s", null, null,
                new SubscriptionInput.TargetInput(TargetKind.HTTP, null, "http://h/", null));
        assertEquals(List.of(), SubscriptionRules.filter(none).types());
        SubscriptionInput dup = new SubscriptionInput(7L, null, "s", null,
                new SubscriptionInput.FilterInput(List.of("dataworks:A:B", "dataworks:A:B"), null, List.of(3L, 3L, 4L)), none.target());
        assertEquals(List.of("dataworks:A:B"), SubscriptionRules.filter(dup).types());
        assertEquals(List.of(3L, 4L), SubscriptionRules.filter(dup).projectIds());
    }

    private static String refused(Runnable call) {
        return assertThrows(InvalidInputException.class, call::run).field();
    }
}
