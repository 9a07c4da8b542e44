package cn.yekuo.hub.quarantine;

import cn.yekuo.hub.replies.ForgeriesRepeated;
import cn.yekuo.hub.replies.MailQuarantined;
import org.springframework.context.event.EventListener;
import cn.yekuo.hub.mailtransport.MailDirectory;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.replies.UnitReplyReader;
import cn.yekuo.hub.replies.grammar.Rejection;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseAssignments;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.outbox.Outbox;

/**
 * Tells the customer representatives why a unit's mail was quarantined (docs/contract.md §2), in Chinese and English,
 * through the outbox ({@code mails/quarantine-notice.ftl}, {@code forgery-alert.ftl}). Never for automatic replies: two
 * robots must not start a mail storm.
 */
@Component
public class QuarantineNotices {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final MailDirectory directory;
    private final MailMessages messages;
    private final Outbox outbox;
    private final java.time.ZoneId zone;
    private final MailTemplates templates;

    private final CaseAssignments assignments;

    public QuarantineNotices(MailDirectory directory, MailMessages messages, Outbox outbox, HubProperties hub,
                             MailTemplates templates, CaseAssignments assignments) {
        this.assignments = assignments;
        this.zone = hub.businessZone();
        this.directory = directory;
        this.messages = messages;
        this.outbox = outbox;
        this.templates = templates;
    }


    public static String outboxIdOf(String mailKey) {
        return "quarantine-" + mailKey.substring(0, 40);
    }

    @EventListener
    public void notify(MailQuarantined q) {
        Set<String> titlesZh = new LinkedHashSet<>();
        Set<String> titlesEn = new LinkedHashSet<>();
        q.reasons().forEach(r -> {
            titlesZh.add(r.code().titleZh());
            titlesEn.add(r.code().titleEn());
        });
        String subject = "【业扩报装】单位来信已隔离：" + String.join("、", titlesZh) + " / Mail quarantined: "
                + String.join(", ", titlesEn) + (q.caseNo() == null ? "" : " " + q.caseNo());
        Map<String, Object> model = new HashMap<>();
        model.put("folder", q.folder());
        model.put("reasons", q.reasons().stream()
                .map(r -> Map.of("code", r.code().name(), "zh", r.messageZh(), "en", r.messageEn())).toList());
        model.put("sender", nullToDash(UnitReplyReader.quoted(q.sender())));
        // the subject's start only: a huge subject must not make a huge notice
        model.put("subject", nullToDash(UnitReplyReader.quoted(q.subject())).replaceAll("[\\r\\n]+", " "));
        model.put("messageId", nullToDash(UnitReplyReader.quoted(q.messageId())).replaceAll("[\\r\\n]+", " "));
        model.put("receivedAt", q.receivedAt().atZoneSameInstant(zone).format(TIME));
        model.put("caseNo", q.caseNo());
        model.put("taskNo", q.taskNo());
        String text = templates.render("quarantine-notice.ftl", model);
        String id = outboxIdOf(q.mailKey());
        // the case's representative when the mail names a known case; else the shared mailbox
        String to = assignments.noticeAddress(q.caseId(), directory.repsAddress());
        outbox.addIfAbsent(q.caseId(), Outbox.MAIL, id, q.caseNo(),
                Map.of("to", to, "kind", "QUARANTINE_NOTICE", "subject", subject),
                messages.toPayload(OutgoingMail.notice(directory.hubAddress(), to, subject, text,
                        q.receivedAt())));
    }

    /**
     * One alert per burst: {@code count} mails from {@code sender} quarantined for forged or several tokens within
     * {@code window}. Someone may be guessing tokens; the representatives decide whether to block the sender.
     */
    @EventListener
    public void on(ForgeriesRepeated alert) {
        forgeryAlert(alert.mailKey(), alert.sender(), alert.count(), alert.window(), alert.at());
    }

    public void forgeryAlert(String mailKey, String sender, int count, java.time.Duration window, OffsetDateTime at) {
        String subject = "【业扩报装】疑似伪造任务编号 / Repeated forged task tokens: " + UnitReplyReader.quoted(sender);
        String text = templates.render("forgery-alert.ftl", Map.of("sender", String.valueOf(sender), "count", count,
                "hours", String.valueOf(window.toHours()),
                "at", at.atZoneSameInstant(zone).format(TIME)));
        String id = "forgery-alert-" + mailKey.substring(0, 40);
        outbox.addIfAbsent(null, Outbox.MAIL, id, null,
                Map.of("to", directory.repsAddress(), "kind", "FORGERY_ALERT", "subject", subject),
                messages.toPayload(OutgoingMail.notice(directory.hubAddress(), directory.repsAddress(), subject, text, at)));
    }

    private static String nullToDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
