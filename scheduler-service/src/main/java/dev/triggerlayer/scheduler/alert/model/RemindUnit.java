package dev.triggerlayer.scheduler.alert.model;

import java.util.Arrays;
import java.util.Optional;

/** What a rule is about ({@code remindUnit} of reference 002): task nodes, or a scheduling resource group. */
public enum RemindUnit {
    NODE, GATEWAY_RES;

    public static Optional<RemindUnit> parse(String name) {
        return Arrays.stream(values()).filter(u -> u.name().equals(name)).findFirst();
    }
}
