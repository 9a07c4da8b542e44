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
}
