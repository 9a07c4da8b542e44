package cn.yekuo.hub.process;

import cn.yekuo.hub.domain.workflow.CaseState;

/** How a command to a case ended. */
public sealed interface CommandResult {

    /** The transition was committed. */
    record Applied(String caseNo, CaseState state) implements CommandResult {
    }

    /** Nothing changed: the command does not fit the case (code as in {@code Outcome.Refused}, or UNKNOWN_CASE). */
    record Refused(String code, String message) implements CommandResult {
    }

    /** The message behind the command was already processed: no further effect. */
    record Duplicate() implements CommandResult {
    }
}
