package dev.triggerlayer.scheduler.trigger.model;

import io.opentelemetry.context.Context;

/** A trigger command as it arrived, with the trace context its application belongs to. */
public record Received(TriggerCommand command, Context trace) {

    /** A command applied outside a traced consumer (tests, tools). */
    public static Received untraced(TriggerCommand command) {
        return new Received(command, Context.root());
    }
}
