package dev.triggerlayer.scheduler.extension.model;

import java.time.Instant;
import java.util.List;

/**
 * A check: one workspace's part of a pending operation, answered by every extension it expects.
 *
 * @param state CHECKING, PASSED, FAILED or CANCELLED (another check of its operation failed)
 */
public record CheckView(String id, String pendingOperationId, long tenantId, long workspaceId, String eventCode, String state,
                        List<String> expected, List<Verdict> verdicts, Instant deadline, String reason) {

    /** @param result OK, WARN or FAIL; {@code byRule} when a rule gave it for a silent extension (its timeout, or the tenant's edition lapsing) */
    public record Verdict(String extensionCode, String result, String tip, boolean byRule, Instant at) {
    }
}
