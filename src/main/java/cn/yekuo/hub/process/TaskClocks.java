package cn.yekuo.hub.process;

import java.util.Map;
import java.util.Optional;

import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.time.Node;

/** Which utility clock a hand-off answers to: its answer is due when the node is (docs/contract.md §2, docs/domain.md). */
final class TaskClocks {

    private static final Map<TaskKind, Node> NODES = Map.ofEntries(
            Map.entry(TaskKind.SCHEME_TECHNICAL, Node.SCHEME_REPLY),
            Map.entry(TaskKind.SCHEME_BUSINESS, Node.SCHEME_REPLY),
            Map.entry(TaskKind.DESIGN_REVIEW, Node.DESIGN_REVIEW),
            Map.entry(TaskKind.MID_INSPECTION, Node.MID_INSPECTION),
            // joint rounds: every unit's task answers to the round's one clock
            Map.entry(TaskKind.COMPLETION_ACCEPTANCE, Node.COMPLETION_ACCEPTANCE),
            Map.entry(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, Node.COMPLETION_ACCEPTANCE),
            Map.entry(TaskKind.ENERGIZATION, Node.ENERGIZATION),
            Map.entry(TaskKind.ENERGIZATION_PRODUCTION, Node.ENERGIZATION),
            Map.entry(TaskKind.ENERGIZATION_MARKETING, Node.ENERGIZATION),
            Map.entry(TaskKind.ENERGIZATION_CONSTRUCTION, Node.ENERGIZATION),
            // the construction unit's: timed only where a rule set has their rows (none by default)
            Map.entry(TaskKind.DESIGN, Node.DESIGN),
            Map.entry(TaskKind.RECTIFICATION, Node.RECTIFICATION));

    private TaskClocks() {
    }

    /** Empty for the construction itself: it is agreed with the customer and the mid inspection runs inside it. */
    static Optional<Node> nodeOf(TaskKind kind) {
        return Optional.ofNullable(NODES.get(kind));
    }
}
