package cn.yekuo.hub.process;

import java.time.OffsetDateTime;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.domain.workflow.CaseState;

/**
 * What an effect handler knows about the transition it is part of: the case as stored, its workflow state
 * after the transition, the deadline of the clock now running (null if none or paused), and now.
 */
public record CaseContext(CaseRecord record, CaseState state, TimedNodes.Running runningNode, OffsetDateTime now) {

    public OffsetDateTime dueAt() {
        return runningNode == null ? null : runningNode.dueAt();
    }

    /**
     * The due date of a task opened in this transition: its clock's, when the clock left running is the one it answers
     * to (as {@link EffectRecorder} attaches it), else none. What a read of the task's row would say, without the read.
     */
    public OffsetDateTime dueOfOpened(cn.yekuo.hub.domain.workflow.Task task) {
        return runningNode != null && TaskClocks.nodeOf(task.kind()).orElse(null) == runningNode.node() ? runningNode.dueAt() : null;
    }
}
