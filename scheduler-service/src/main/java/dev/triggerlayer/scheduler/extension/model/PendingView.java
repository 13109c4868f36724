package dev.triggerlayer.scheduler.extension.model;

import java.time.Instant;
import java.util.List;

/**
 * An operation held by extension checks.
 *
 * @param state CHECKING; APPROVED (every check passed, being applied); APPLIED; FAILED (an
 *              extension answered FAIL, or the timeout rule did); REFUSED (approved, but the
 *              instances no longer allowed it when it was applied)
 * @param reason why it failed or was refused: the failing extension's tip
 * @param instanceIds the instances of an instance operation (else empty)
 * @param nodeIds     the nodes of a node operation (else empty)
 */
public record PendingView(String id, String operation, String operator, String state, String reason, List<Long> instanceIds,
                          List<Long> nodeIds, List<CheckView> checks, Instant createdAt, Instant resolvedAt) {
}
