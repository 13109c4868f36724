package dev.triggerlayer.scheduler.alert.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a rule watches ({@code remindType} of reference 002), each for one {@link RemindUnit}.
 * The reference also lists {@code CYCLE_UNFINISHED} (and the unit {@code DI_RES}); this system
 * has no per-cycle deadlines nor Data Integration groups, so neither is accepted (docs/alerts.md).
 */
public enum RemindType {
    /** An instance of one of the nodes failed. */
    ERROR(RemindUnit.NODE),
    /** An instance of one of the nodes has been running longer than {@code timeoutMinutes}. */
    TIMEOUT(RemindUnit.NODE),
    /** An instance of one of the nodes succeeded. */
    FINISHED(RemindUnit.NODE),
    /** An instance of one of the nodes has not succeeded by {@code unfinishedTime} of its scheduled day. */
    UNFINISHED(RemindUnit.NODE),
    /** The group's slots in use reached {@code usagePercent} of its slots. */
    RES_GROUP_THRESHOLD(RemindUnit.GATEWAY_RES),
    /** More than {@code waitingCount} instances wait for the group's slots. */
    RES_GROUP_WAIT_AMOUNT(RemindUnit.GATEWAY_RES);

    public final RemindUnit unit;

    RemindType(RemindUnit unit) {
        this.unit = unit;
    }

    public static Optional<RemindType> parse(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** The types of a unit, for messages. */
    public static List<String> of(RemindUnit unit) {
        return Arrays.stream(values()).filter(t -> t.unit == unit).map(Enum::name).toList();
    }
}
