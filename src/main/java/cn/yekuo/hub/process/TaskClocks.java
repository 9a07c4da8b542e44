package cn.yekuo.hub.process;

import java.util.Map;
import java.util.Optional;

import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.time.Node;

/** Which utility clock a hand-off answers to: its answer is due when the node is (docs/contract.md §2, docs/domain.md). */
final class TaskClocks {

    private static final Map<TaskKind, Node> NODES = Map.of(
            TaskKind.SCHEME_TECHNICAL, Node.SCHEME_REPLY,
            TaskKind.SCHEME_BUSINESS, Node.SCHEME_REPLY,
            TaskKind.DESIGN_REVIEW, Node.DESIGN_REVIEW,
            TaskKind.MID_INSPECTION, Node.MID_INSPECTION,
            TaskKind.COMPLETION_ACCEPTANCE, Node.COMPLETION_ACCEPTANCE,
            TaskKind.ENERGIZATION, Node.ENERGIZATION,
            // the construction unit's: timed only where a rule set has their rows (none by default)
            TaskKind.DESIGN, Node.DESIGN,
            TaskKind.RECTIFICATION, Node.RECTIFICATION);

    private TaskClocks() {
    }

    /** Empty for the construction itself: it is agreed with the customer and the mid inspection runs inside it. */
    static Optional<Node> nodeOf(TaskKind kind) {
        return Optional.ofNullable(NODES.get(kind));
    }
}
