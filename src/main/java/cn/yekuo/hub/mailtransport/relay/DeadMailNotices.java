package cn.yekuo.hub.mailtransport.relay;

import cn.yekuo.hub.mailtransport.FileDigests;
import cn.yekuo.hub.mailtransport.MailDirectory;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.mailtransport.OutgoingMail;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseAssignments;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.outbox.OutboxEntry;

/**
 * Tells the representatives that a mail was dead-lettered by the mail relay (docs/contract.md §6.6): to whom, what,
 * why, and what to do ({@code mails/dead-mail.ftl}). A notice that cannot be delivered itself gets no notice (no loop).
 */
@Component
public class DeadMailNotices {

    public static final String KIND = "DEAD_MAIL_NOTICE";

    private final Outbox outbox;
    private final MailDirectory directory;
    private final MailMessages messages;
    private final Clock clock;
    private final MailTemplates templates;
    private final CaseAssignments assignments;

    public DeadMailNotices(Outbox outbox, MailDirectory directory, MailMessages messages, Clock clock, MailTemplates templates,
                           CaseAssignments assignments) {
        this.assignments = assignments;
        this.templates = templates;
        this.outbox = outbox;
        this.directory = directory;
        this.messages = messages;
        this.clock = clock;
    }

    /** {@code dead-<message id of the dead mail>} (hashed when that would not fit the column). */
    public static String outboxIdOf(String deadMessageId) {
        String id = "dead-" + deadMessageId;
        return id.length() <= 64 ? id : "dead-" + HexFormat.of().formatHex(FileDigests.sha256()
                .digest(deadMessageId.getBytes(StandardCharsets.UTF_8))).substring(0, 40);
    }

    public void notifyDead(OutboxEntry dead, int attempts, String error, boolean refused) {
        if (KIND.equals(dead.headers().get("kind"))) {
            return;
        }
        String to = dead.headers().getOrDefault("to", "-");
        String kind = dead.headers().getOrDefault("kind", "-");
        String caseNo = dead.caseId() == null ? null : dead.groupKey();
        String subject = "【业扩报装】邮件无法投递 Mail not delivered：" + kind + " → " + to + (caseNo == null ? "" : " [" + caseNo + "]");
        Map<String, Object> model = new HashMap<>();
        model.put("refused", refused);
        model.put("attempts", attempts);
        model.put("to", to);
        model.put("kind", kind);
        model.put("subject", dead.headers().getOrDefault("subject", "-"));
        model.put("messageId", messages.messageIdFor(dead.messageId()));
        model.put("caseNo", caseNo);
        model.put("task", dead.headers().get("task"));
        model.put("reason", String.valueOf(error));
        String text = templates.render("dead-mail.ftl", model);
        // a case's mail: its representative; else the shared mailbox. A mail to that representative that died
        // goes to the shared mailbox, which may still reach someone
        String rep = assignments.noticeAddress(dead.caseId(), directory.repsAddress());
        String noticeTo = rep.equalsIgnoreCase(to) ? directory.repsAddress() : rep;
        outbox.addIfAbsent(dead.caseId(), Outbox.MAIL, outboxIdOf(dead.messageId()), dead.groupKey(),
                Map.of("to", noticeTo, "kind", KIND, "subject", subject),
                messages.toPayload(OutgoingMail.notice(directory.hubAddress(), noticeTo, subject, text,
                        OffsetDateTime.now(clock))));
    }
}
