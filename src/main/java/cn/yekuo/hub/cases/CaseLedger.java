package cn.yekuo.hub.cases;

import java.time.Clock;
import java.time.OffsetDateTime;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.billing.StatusMessages;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.domain.Stage;

/**
 * Writes what a stage change means, inside the caller's transaction: the case's new stage, its timeline
 * entry and the CaseStatusChanged for billing in the outbox. Nothing leaves the hub before commit.
 */
@Component
public class CaseLedger {

    private final CaseStore cases;
    private final Outbox outbox;
    private final StatusMessages status;
    private final Clock clock;

    public CaseLedger(CaseStore cases, Outbox outbox, StatusMessages status, Clock clock) {
        this.cases = cases;
        this.outbox = outbox;
        this.status = status;
        this.clock = clock;
    }

    /** Moves the case and records the change; returns the case as it now is. */
    public CaseRecord moveTo(CaseRecord c, Stage to, String actor, String reason, OffsetDateTime acceptedAt, OffsetDateTime dueAt) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        cases.updateStage(c, to, reason, acceptedAt, now);
        stageChanged(c, c.stage(), to, actor, reason, dueAt, describe(c.stage(), to, reason));
        return cases.findByCaseNo(c.caseNo()).orElseThrow();
    }

    /** Records a stage change already written to the case row (e.g. the case's creation in RECEIVED). */
    public void stageChanged(CaseRecord c, Stage from, Stage to, String actor, String reason, OffsetDateTime dueAt, String summary) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        cases.appendTimeline(c.id(), now, actor, "STAGE_CHANGED", to, summary, reason);
        StatusMessages.Message message = status.caseStatusChanged(c.applicationNo(), c.caseNo(), to, from, now, dueAt, reason);
        outbox.add(c.id(), Outbox.BILLING_STATUS, message.messageId(), c.applicationNo(), message.headers(), message.payload());
    }

    private static String describe(Stage from, Stage to, String reason) {
        return from + " → " + to + (reason == null ? "" : ": " + reason);
    }
}
