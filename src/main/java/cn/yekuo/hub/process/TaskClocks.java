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
            TaskKind.ENERGIZATION, Node.ENERGIZATION);

    private TaskClocks() {
    }

    /** Empty for the customer's own works (design, construction, rectification): no utility limit. */
    static Optional<Node> nodeOf(TaskKind kind) {
        return Optional.ofNullable(NODES.get(kind));
    }
}
