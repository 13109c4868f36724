package dev.triggerlayer.scheduler.instance.engine;

import io.smallrye.mutiny.Uni;

import java.util.UUID;

/**
 * Told when the engine decides a retained trigger later than its command (it fired when its
 * instance became ready, or was dropped after its retention), so the command's recorded outcome
 * says so. The trigger package implements it; the engine only knows this contract.
 */
public interface RetainedTriggers {

    Uni<Void> redecide(UnitOfWork u, UUID commandId, String outcome, String code, String message);
}
