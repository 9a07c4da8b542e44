package cn.yekuo.hub.mail;

import java.util.List;

/**
 * The attachments of the unit reply being applied on this thread. The hand-offs that the same transition opens
 * (the design review after the design) may carry them before the reply's own rows are written.
 */
final class RepliesInFlight {

    record Reply(String caseNo, int taskNo, List<MailAttachment> attachments) {
    }

    private static final ThreadLocal<Reply> CURRENT = new ThreadLocal<>();

    private RepliesInFlight() {
    }

    static void begin(String caseNo, int taskNo, List<MailAttachment> attachments) {
        CURRENT.set(new Reply(caseNo, taskNo, List.copyOf(attachments)));
    }

    static Reply current() {
        return CURRENT.get();
    }

    static void end() {
        CURRENT.remove();
    }
}
