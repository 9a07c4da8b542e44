package cn.yekuo.hub.process;

import java.time.OffsetDateTime;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.domain.Stage;

/**
 * Tells billing that a case's stage or running due date changed (implemented by the billing feature, which owns the
 * message format), inside the caller's transaction so the message leaves only if the change commits.
 */
public interface StatusAnnouncements {

    void caseStatusChanged(CaseRecord c, Stage to, Stage from, OffsetDateTime at, OffsetDateTime dueAt, String reason);

    /** One change to announce. */
    record Change(CaseRecord c, Stage to, Stage from, OffsetDateTime at, OffsetDateTime dueAt, String reason) {
    }

    /** A transition's changes, in order (an implementation may write them at once). */
    default void caseStatusChanged(java.util.List<Change> changes) {
        changes.forEach(x -> caseStatusChanged(x.c(), x.to(), x.from(), x.at(), x.dueAt(), x.reason()));
    }
}
