package dev.triggerlayer.scheduler.dagrun.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A backfill ({@code dagType} 3) or manual run (5) as the API shows it. {@code state}:
 * {@code Checking} while backfill-data extensions decide ({@code checkingOperationId} names the
 * pending operation), {@code Created} once its DAG instances exist, {@code Refused} when a check
 * failed ({@code reason}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(long id, int dagType, String name, long tenantId, long workspaceId, long workflowId, String operator,
                      String state, String reason, String checkingOperationId, Instant createdAt, List<Dag> dags) {

    /** One DAG instance of the run: its business date and name. */
    public record Dag(long dagId, String bizDate, String name) {
    }
}
