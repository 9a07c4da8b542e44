package cn.yekuo.hub.billing;

import java.time.OffsetDateTime;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.process.StatusAnnouncements;

/** A CaseStatusChanged for billing (docs/contract.md §1), written to the outbox in the transition's transaction. */
@Component
public class BillingStatusAnnouncements implements StatusAnnouncements {

    private final StatusMessages status;
    private final Outbox outbox;

    public BillingStatusAnnouncements(StatusMessages status, Outbox outbox) {
        this.status = status;
        this.outbox = outbox;
    }

    @Override
    public void caseStatusChanged(CaseRecord c, Stage to, Stage from, OffsetDateTime at, OffsetDateTime dueAt, String reason) {
        StatusMessages.Message message = status.caseStatusChanged(c.applicationNo(), c.caseNo(), to, from, at, dueAt, reason);
        outbox.add(c.id(), Outbox.BILLING_STATUS, message.messageId(), c.applicationNo(), message.headers(), message.payload());
    }

    /** A transition's messages in one batch of outbox rows, in order. */
    @Override
    public void caseStatusChanged(java.util.List<Change> changes) {
        outbox.addAll(changes.stream().map(x -> {
            StatusMessages.Message message = status.caseStatusChanged(x.c().applicationNo(), x.c().caseNo(), x.to(), x.from(),
                    x.at(), x.dueAt(), x.reason());
            return new Outbox.NewEntry(x.c().id(), Outbox.BILLING_STATUS, message.messageId(), x.c().applicationNo(),
                    message.headers(), message.payload());
        }).toList());
    }
}
