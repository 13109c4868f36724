package dev.triggerlayer.scheduler.workflow.service;

import dev.triggerlayer.scheduler.cron.CronExpression;
import dev.triggerlayer.scheduler.cron.InvalidCronException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.scheduler.workflow.model.NodeDefinition;
import dev.triggerlayer.scheduler.workflow.model.NodeType;
import dev.triggerlayer.scheduler.workflow.model.WorkflowDefinition;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a workflow definition before anything is written: ids, references, cycles, cron, limits. */
final class WorkflowValidator {

    static final Set<Integer> PRIORITIES = Set.of(1, 3, 5, 7, 8);

    private WorkflowValidator() {
    }

    static void validate(WorkflowDefinition wf) {
        if (wf.timeZone() != null && !wf.timeZone().isBlank()) {
            try {
                ZoneId.of(wf.timeZone());
            } catch (DateTimeException e) {
                throw new InvalidInputException("timeZone", "unknown time zone '" + wf.timeZone() + "'");
            }
        }
        Set<Long> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < wf.nodes().size(); i++) {
            NodeDefinition n = wf.nodes().get(i);
            String at = "nodes[" + i + "].";
            if (n.id() != null && !ids.add(n.id())) {
                throw new InvalidInputException(at + "id", "node id " + n.id() + " appears twice");
            }
            if (!names.add(n.name())) {
                throw new InvalidInputException(at + "name", "node name '" + n.name() + "' appears twice");
            }
            if (n.type() == NodeType.SHELL && (n.script() == null || n.script().isBlank())) {
                throw new InvalidInputException(at + "script", "a SHELL node needs a script");
            }
            if (n.type() == NodeType.HTTP_TRIGGER && n.script() != null && !n.script().isBlank()) {
                throw new InvalidInputException(at + "script", "an HTTP trigger node is zero-load and runs no script");
            }
            if (n.priority() != null && !PRIORITIES.contains(n.priority())) {
                throw new InvalidInputException(at + "priority", "must be one of 1, 3, 5, 7, 8");
            }
            try {
                CronExpression.parse(n.cron());
            } catch (InvalidCronException e) {
                throw new InvalidInputException(at + "cron", e.getMessage());
            }
        }
    }

    /** Upstream references must name nodes of this workflow, and the graph must be acyclic. */
    static void validateGraph(List<NodeDefinition> nodes) {
        Map<Long, List<Long>> upstream = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            upstream.put(nodes.get(i).id(), nodes.get(i).upstream());
        }
        for (int i = 0; i < nodes.size(); i++) {
            NodeDefinition n = nodes.get(i);
            for (Long up : n.upstream()) {
                if (up.equals(n.id())) {
                    throw new InvalidInputException("nodes[" + i + "].upstream", "a node cannot depend on itself");
                }
                if (!upstream.containsKey(up)) {
                    throw new InvalidInputException("nodes[" + i + "].upstream", "node " + up + " is not part of this workflow");
                }
            }
        }
        // Kahn's algorithm: whatever cannot be ordered lies on a cycle.
        Map<Long, Integer> pending = new HashMap<>();
        Map<Long, List<Long>> downstream = new HashMap<>();
        upstream.forEach((id, ups) -> {
            pending.put(id, ups.size());
            ups.forEach(u -> downstream.computeIfAbsent(u, k -> new java.util.ArrayList<>()).add(id));
        });
        Deque<Long> ready = new ArrayDeque<>();
        pending.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        int ordered = 0;
        while (!ready.isEmpty()) {
            long id = ready.poll();
            ordered++;
            for (long d : downstream.getOrDefault(id, List.of())) {
                if (pending.merge(d, -1, Integer::sum) == 0) {
                    ready.add(d);
                }
            }
        }
        if (ordered < nodes.size()) {
            List<Long> cycle = pending.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).sorted().toList();
            throw new InvalidInputException("nodes", "the dependencies form a cycle through nodes " + cycle);
        }
    }
}
