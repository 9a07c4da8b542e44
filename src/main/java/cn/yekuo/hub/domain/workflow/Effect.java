package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.time.Node;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.Unit;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** What a transition asks the rest of the hub to do or record, in the order it happened. */
public sealed interface Effect {

    /** One per stage change (→ CaseStatusChanged). {@code reason} for waits and side exits, else null. */
    record StageChanged(Stage from, Stage to, OffsetDateTime at, String reason) implements Effect {
    }

    /** → hand-off mail. */
    record TaskOpened(Task task) implements Effect {
    }

    record TaskClosed(Task task) implements Effect {
    }

    record TaskCancelled(Task task) implements Effect {
    }

    /** A utility clock starts. */
    record NodeStarted(Node node, List<Unit> responsibleUnits, OffsetDateTime at) implements Effect {
        public NodeStarted {
            responsibleUnits = List.copyOf(responsibleUnits);
        }
    }

    /** A utility clock stops: the node is done. */
    record NodeCompleted(Node node, OffsetDateTime at) implements Effect {
    }

    /** A utility clock is abandoned without completion (the case was withdrawn). */
    record NodeCancelled(Node node, OffsetDateTime at) implements Effect {
    }

    record CustomerWaitStarted(String reason, OffsetDateTime at) implements Effect {
    }

    record CustomerWaitEnded(OffsetDateTime at) implements Effect {
    }

    record FormalityRecorded(Formality kind, OffsetDateTime at) implements Effect {
    }

    /** → supply-scheme reply letter. Fields in the order SOURCE … FEES. */
    record SchemeCompleted(Map<String, String> fields) implements Effect {
        public SchemeCompleted {
            fields = Task.copy(fields);
        }
    }

    /** → acceptance opinion, pass or fail. */
    record AcceptanceRecorded(boolean passed, List<String> defects) implements Effect {
        public AcceptanceRecorded {
            defects = List.copyOf(defects);
        }
    }

    /** → the contract document, with the asset transfer agreement appended when assets transfer. */
    record ContractDue(boolean assetTransfer) implements Effect {
    }

    /** → energization notice. */
    record Energized(String meterNo, OffsetDateTime at) implements Effect {
    }

    /** A line on the case's timeline. {@code kind} is a short code such as TASK_COMPLETED. */
    record TimelineEntry(Actor actor, OffsetDateTime at, String kind, String details) implements Effect {
    }
}
