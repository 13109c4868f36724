package dev.triggerlayer.scheduler.instance.rest;

import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.scheduler.instance.model.InstanceStatus;
import dev.triggerlayer.scheduler.instance.repository.TaskInstanceQueries;
import dev.triggerlayer.scheduler.workflow.model.NodeType;
import dev.triggerlayer.scheduler.workflow.model.SchedulerType;
import jakarta.ws.rs.QueryParam;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The filters of {@code GET /api/v1/instances}. Required: {@code ProjectId}. Optional:
 * {@code ProjectEnv} (Prod, Dev); {@code BizDate} (yyyy-MM-dd, or epoch ms of the business date's
 * midnight in the workflow's zone, as answers show it); {@code Id}, {@code Ids}, {@code TaskId},
 * {@code TaskIds} (lists comma-separated, at most 1000); {@code TaskName} (contains, any case);
 * {@code TaskType} (HTTP_TRIGGER, SHELL); {@code Owner}; {@code WorkflowId};
 * {@code WorkflowInstanceId}; {@code DagType} (0-5); {@code SchedulerType} (comma-separated node
 * scheduling types) and {@code NotSchedulerType}; {@code ResourceGroup}; {@code Status} (a name;
 * WaitTime excludes WaitTrigger) or {@code StatusCode} (1-8, both); {@code TriggerTime} (epoch ms);
 * {@code StartedAfter}, {@code StartedBefore}, {@code FinishedAfter}, {@code FinishedBefore},
 * {@code CreatedAfter}, {@code CreatedBefore} (epoch ms, inclusive); {@code SortBy}
 * ({@code <field> Asc|Desc}, fields TriggerTime, StartedTime, FinishedTime, CreateTime, Id,
 * ModifyTime, Priority; default {@code TriggerTime Asc}); {@code PageNumber} (from 1);
 * {@code PageSize} (1 to 500, default 20).
 */
public class InstanceListQuery {

    public static final int MAX_PAGE_SIZE = 500;
    public static final int MAX_IDS = 1000;

    @QueryParam("ProjectId") String projectId;
    @QueryParam("ProjectEnv") String env;
    @QueryParam("BizDate") String bizDate;
    @QueryParam("Id") String id;
    @QueryParam("Ids") String ids;
    @QueryParam("TaskId") String taskId;
    @QueryParam("TaskIds") String taskIds;
    @QueryParam("TaskName") String taskName;
    @QueryParam("TaskType") String taskType;
    @QueryParam("Owner") String owner;
    @QueryParam("WorkflowId") String workflowId;
    @QueryParam("WorkflowInstanceId") String workflowInstanceId;
    @QueryParam("DagType") String dagType;
    @QueryParam("SchedulerType") String schedulerType;
    @QueryParam("NotSchedulerType") String notSchedulerType;
    @QueryParam("ResourceGroup") String resourceGroup;
    @QueryParam("Status") String status;
    @QueryParam("StatusCode") String statusCode;
    @QueryParam("TriggerTime") String triggerTime;
    @QueryParam("StartedAfter") String startedAfter;
    @QueryParam("StartedBefore") String startedBefore;
    @QueryParam("FinishedAfter") String finishedAfter;
    @QueryParam("FinishedBefore") String finishedBefore;
    @QueryParam("CreatedAfter") String createdAfter;
    @QueryParam("CreatedBefore") String createdBefore;
    @QueryParam("SortBy") String sortBy;
    @QueryParam("PageNumber") String pageNumber;
    @QueryParam("PageSize") String pageSize;

    TaskInstanceQueries.Filter filter() {
        if (projectId == null) {
            throw new InvalidInputException("ProjectId", "is required");
        }
        if (env != null && !env.equals("Prod") && !env.equals("Dev")) {
            throw new InvalidInputException("ProjectEnv", "must be Prod or Dev");
        }
        LocalDate date = null;
        Instant dateInstant = null;
        if (bizDate != null) {
            if (bizDate.chars().allMatch(Character::isDigit)) {
                dateInstant = millis("BizDate", bizDate);
            } else {
                try {
                    date = LocalDate.parse(bizDate);
                } catch (DateTimeException e) {
                    throw new InvalidInputException("BizDate", "must be yyyy-MM-dd or epoch milliseconds");
                }
            }
        }
        List<Long> idList = both(idList("Ids", ids), id == null ? null : Params.id("Id", id));
        List<Long> taskIdList = both(idList("TaskIds", taskIds), taskId == null ? null : Params.id("TaskId", taskId));
        if (taskType != null) {
            enumName("TaskType", taskType, NodeType.class);
        }
        Integer dag = dagType == null ? null : (int) bounded("DagType", dagType, 0, 5);
        List<String> schedulerTypes = null;
        if (schedulerType != null) {
            schedulerTypes = Arrays.stream(schedulerType.split(",")).map(String::trim).toList();
            schedulerTypes.forEach(t -> enumName("SchedulerType", t, SchedulerType.class));
        }
        if (notSchedulerType != null) {
            enumName("NotSchedulerType", notSchedulerType, SchedulerType.class);
        }
        Integer code = null;
        Boolean waitTrigger = null;
        if (status != null) {
            code = InstanceStatus.fromName(status);
            if (code == null) {
                throw new InvalidInputException("Status", "unknown status '" + status + "'");
            }
            if (status.equals("WaitTrigger") || status.equals("WaitTime")) {
                waitTrigger = status.equals("WaitTrigger");
            }
        }
        if (statusCode != null) {
            if (code != null) {
                throw new InvalidInputException("StatusCode", "give Status or StatusCode, not both");
            }
            code = (int) bounded("StatusCode", statusCode, 1, 8);
        }
        String field = "TriggerTime";
        boolean descending = false;
        if (sortBy != null && !sortBy.isBlank()) {
            String[] parts = sortBy.trim().split("\\s+");
            String direction = parts.length > 1 ? parts[1] : "Asc";
            if (!TaskInstanceQueries.SORTS.containsKey(parts[0]) || parts.length > 2 || !(direction.equals("Asc") || direction.equals("Desc"))) {
                throw new InvalidInputException("SortBy", "must be one of " + TaskInstanceQueries.SORTS.keySet() + " followed by Asc or Desc");
            }
            field = parts[0];
            descending = direction.equals("Desc");
        }
        int page = pageNumber == null ? 1 : (int) bounded("PageNumber", pageNumber, 1, 1_000_000);
        int size = pageSize == null ? 20 : (int) bounded("PageSize", pageSize, 1, MAX_PAGE_SIZE);
        return new TaskInstanceQueries.Filter(Params.id("ProjectId", projectId), env, date, dateInstant, idList, taskIdList, taskName,
                taskType, owner, optional("WorkflowId", workflowId), optional("WorkflowInstanceId", workflowInstanceId), dag, schedulerTypes,
                notSchedulerType, resourceGroup, code, waitTrigger, millisOrNull("TriggerTime", triggerTime),
                millisOrNull("StartedAfter", startedAfter), millisOrNull("StartedBefore", startedBefore),
                millisOrNull("FinishedAfter", finishedAfter), millisOrNull("FinishedBefore", finishedBefore),
                millisOrNull("CreatedAfter", createdAfter), millisOrNull("CreatedBefore", createdBefore), field, descending, page, size);
    }

    private static List<Long> idList(String field, String raw) {
        if (raw == null) {
            return null;
        }
        String[] parts = raw.split(",");
        if (parts.length > MAX_IDS) {
            throw new InvalidInputException(field, "at most " + MAX_IDS + " ids");
        }
        List<Long> out = new ArrayList<>();
        for (String p : parts) {
            out.add(Params.id(field, p.trim()));
        }
        return out;
    }

    /** Filters are ANDed: a single id and a list together select the id if the list has it. */
    private static List<Long> both(List<Long> list, Long single) {
        if (single == null) {
            return list;
        }
        return list == null || list.contains(single) ? List.of(single) : List.of(-1L);
    }

    private static Long optional(String field, String raw) {
        return raw == null ? null : Params.id(field, raw);
    }

    private static long bounded(String field, String raw, long min, long max) {
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "must be an integer from " + min + " to " + max);
        }
        if (v < min || v > max) {
            throw new InvalidInputException(field, "must be from " + min + " to " + max);
        }
        return v;
    }

    private static Instant millis(String field, String raw) {
        return Instant.ofEpochMilli(bounded(field, raw, 0, 253_402_300_799_999L));
    }

    private static Instant millisOrNull(String field, String raw) {
        return raw == null ? null : millis(field, raw);
    }

    private static <E extends Enum<E>> void enumName(String field, String raw, Class<E> type) {
        try {
            Enum.valueOf(type, raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
