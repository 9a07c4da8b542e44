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
}
