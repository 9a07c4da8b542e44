package cn.yekuo.hub.queries;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Mails in and out of a case (hand-offs, replies, quarantined replies). Implemented by the mail feature (issue 4,
 * its mails in/out tables); until a bean of this type exists the hub shows none.
 */
public interface CaseMails {

    List<MailSummary> ofCase(String caseNo);

    /** Replies kept back for a representative to check, hub-wide (a business gauge). */
    int quarantinedCount();

    /**
     * @param direction IN or OUT
     * @param status    e.g. SENT, PENDING, DEAD (the relay gave up), ACCEPTED, QUARANTINED, RELEASED, ATTACHED, DISCARDED, REJECTED
     */
    record MailSummary(long id, String direction, OffsetDateTime at, String counterpart, String subject, String taskToken,
                       String status, String note) {
    }
}
