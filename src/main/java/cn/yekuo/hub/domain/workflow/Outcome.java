package cn.yekuo.hub.domain.workflow;

import java.util.List;
import java.util.Objects;

/** The answer of {@link CaseWorkflow#apply}: a transition, or a refusal that changes nothing. */
public sealed interface Outcome permits Outcome.Transition, Outcome.Refused {

    record Transition(CaseState next, List<Effect> effects) implements Outcome {
        public Transition {
            Objects.requireNonNull(next, "next");
            effects = List.copyOf(effects);
        }
    }

    /** {@code code}: one of the constants below; {@code message}: why, for a human. */
    record Refused(String code, String message) implements Outcome {
        /** The command does not fit the case's stage (also: any command to a final stage). */
        public static final String INVALID_STATE = "INVALID_STATE";
        /** No task with that number in the case. */
        public static final String UNKNOWN_TASK = "UNKNOWN_TASK";
        /** The task was already closed or cancelled. */
        public static final String TASK_NOT_OPEN = "TASK_NOT_OPEN";
        /** The result is not one the task kind expects (docs/contract.md §2 table). */
        public static final String UNEXPECTED_RESULT = "UNEXPECTED_RESULT";
        /** A required reply field is missing or blank. */
        public static final String MISSING_FIELD = "MISSING_FIELD";
        /** A reply field has a value that cannot be used. */
        public static final String INVALID_FIELD = "INVALID_FIELD";
        /** A mid inspection or rectification is still open. */
        public static final String INSPECTION_OPEN = "INSPECTION_OPEN";
        /** Materials are still missing. */
        public static final String MATERIALS_MISSING = "MATERIALS_MISSING";
        /** That formality was already recorded. */
        public static final String ALREADY_DONE = "ALREADY_DONE";
        /** Pause while already waiting for the customer. */
        public static final String ALREADY_WAITING = "ALREADY_WAITING";
        /** Resume while not waiting, or while the stage itself is a wait for the customer. */
        public static final String NOT_WAITING = "NOT_WAITING";
        /** A back-dated pause that would start before the running clock did. */
        public static final String BEFORE_NODE_STARTED = "BEFORE_NODE_STARTED";

        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
