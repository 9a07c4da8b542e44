package cn.yekuo.hub.mail;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.outbox.Outbox;

/**
 * Tells the customer representatives why a unit's mail was quarantined (docs/contract.md §2), in Chinese and English,
 * through the outbox. Never for automatic replies: two robots must not start a mail storm.
 */
@Component
public class QuarantineNotices {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final MailDirectory directory;
    private final MailMessages messages;
    private final Outbox outbox;
    private final java.time.ZoneId zone;

    public QuarantineNotices(MailDirectory directory, MailMessages messages, Outbox outbox, HubProperties hub) {
        this.zone = hub.businessZone();
        this.directory = directory;
        this.messages = messages;
        this.outbox = outbox;
    }

    /** The facts of the quarantined mail; caseNo/taskNo when its token named a known task. */
    public record Quarantined(String mailKey, String sender, String subject, String messageId, OffsetDateTime receivedAt,
                              Long caseId, String caseNo, Integer taskNo, String folder, List<Rejection> reasons) {
    }

    public static String outboxIdOf(String mailKey) {
        return "quarantine-" + mailKey.substring(0, 40);
    }

    public void notify(Quarantined q) {
        Set<String> titlesZh = new LinkedHashSet<>();
        Set<String> titlesEn = new LinkedHashSet<>();
        q.reasons().forEach(r -> {
            titlesZh.add(r.code().titleZh());
            titlesEn.add(r.code().titleEn());
        });
        String subject = "【业扩报装】单位来信已隔离：" + String.join("、", titlesZh) + " / Mail quarantined: "
                + String.join(", ", titlesEn) + (q.caseNo() == null ? "" : " " + q.caseNo());
        StringBuilder text = new StringBuilder();
        text.append("下列邮件未被采用，已移入邮箱文件夹“").append(q.folder()).append("”，案件未作任何改动。\n");
        text.append("The mail below was not used and was moved to the folder \"").append(q.folder())
                .append("\"; nothing was changed in any case.\n\n");
        text.append("原因 Reasons\n");
        for (Rejection r : q.reasons()) {
            text.append("- [").append(r.code().name()).append("] ").append(r.messageZh()).append('\n');
            text.append("  ").append(r.messageEn()).append('\n');
        }
        text.append("\n邮件 Mail\n");
        text.append("  发件人 From: ").append(nullToDash(UnitReplyReader.quoted(q.sender()))).append('\n');
        // the subject's start only: a huge subject must not make a huge notice
        text.append("  主题 Subject: ").append(nullToDash(UnitReplyReader.quoted(q.subject())).replaceAll("[\\r\\n]+", " "))
                .append('\n');
        text.append("  Message-ID: ").append(nullToDash(UnitReplyReader.quoted(q.messageId())).replaceAll("[\\r\\n]+", " "))
                .append('\n');
        text.append("  收到时间 Received: ").append(q.receivedAt().atZoneSameInstant(zone).format(TIME))
                .append("（北京时间 Beijing time）\n");
        if (q.caseNo() != null) {
            text.append("  案件 Case: ").append(q.caseNo()).append(q.taskNo() == null ? "" : " T" + q.taskNo()).append('\n');
        }
        text.append("\n请联系发件单位按交办邮件重新答复，或在案件页面处理。\n"
                + "Please ask the sending unit to reply again to the hand-off mail, or act on the case page.\n");
        String id = outboxIdOf(q.mailKey());
        outbox.addIfAbsent(q.caseId(), Outbox.MAIL, id, q.caseNo(),
                Map.of("to", directory.repsAddress(), "kind", "QUARANTINE_NOTICE", "subject", subject),
                messages.toPayload(OutgoingMail.notice(directory.hubAddress(), directory.repsAddress(), subject, text.toString(),
                        q.receivedAt())));
    }

    /**
     * One alert per burst: {@code count} mails from {@code sender} quarantined for forged or several tokens within
     * {@code window}. Someone may be guessing tokens; the representatives decide whether to block the sender.
     */
    public void forgeryAlert(String mailKey, String sender, int count, java.time.Duration window, OffsetDateTime at) {
        String subject = "【业扩报装】疑似伪造任务编号 / Repeated forged task tokens: " + UnitReplyReader.quoted(sender);
        String hours = String.valueOf(window.toHours());
        String text = "发件人 " + sender + " 在 " + hours + " 小时内有 " + count + " 封邮件因任务编号校验失败（或含多个编号）被隔离，"
                + "可能有人在猜测任务编号。这些邮件均未改动任何案件，已移入邮箱文件夹“Quarantine”。请核实该发件人，必要时在邮件服务器上拦截。\n"
                + "The sender " + sender + " had " + count + " mails quarantined for forged (or several) task tokens within "
                + hours + " hours: someone may be guessing tokens. None of them changed any case; they are in the Quarantine "
                + "folder. Please check the sender and block it at the mail server if needed.\n\n"
                + "时间 Time: " + at.atZoneSameInstant(zone).format(TIME) + "（北京时间 Beijing time）\n"
                + "此提醒在 " + hours + " 小时内对同一发件人只发一次，其间该发件人的此类邮件不再逐封通知。"
                + "This alert is sent once per sender within " + hours + " hours; meanwhile such mails from this sender get no "
                + "notice of their own.\n";
        String id = "forgery-alert-" + mailKey.substring(0, 40);
        outbox.addIfAbsent(null, Outbox.MAIL, id, null,
                Map.of("to", directory.repsAddress(), "kind", "FORGERY_ALERT", "subject", subject),
                messages.toPayload(OutgoingMail.notice(directory.hubAddress(), directory.repsAddress(), subject, text, at)));
    }

    private static String nullToDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
