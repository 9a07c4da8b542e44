package cn.yekuo.hub.mail;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.outbox.OutboxEntry;

/**
 * Tells the representatives that a mail was dead-lettered by the mail relay (docs/contract.md §6.6): to whom, what,
 * why, and what to do. A notice that cannot be delivered itself gets no notice (no loop).
 */
@Component
public class DeadMailNotices {

    public static final String KIND = "DEAD_MAIL_NOTICE";

    private final Outbox outbox;
    private final MailDirectory directory;
    private final MailMessages messages;
    private final Clock clock;

    public DeadMailNotices(Outbox outbox, MailDirectory directory, MailMessages messages, Clock clock) {
        this.outbox = outbox;
        this.directory = directory;
        this.messages = messages;
        this.clock = clock;
    }

    /** {@code dead-<message id of the dead mail>} (hashed when that would not fit the column). */
    public static String outboxIdOf(String deadMessageId) {
        String id = "dead-" + deadMessageId;
        return id.length() <= 64 ? id : "dead-" + HexFormat.of().formatHex(ReceivedMails.sha256()
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
        StringBuilder text = new StringBuilder();
        text.append(refused
                ? "收件服务器拒收了这封邮件（永久性错误），系统不再重发。\nThe receiving server refused this mail for good; the hub will not send it again.\n\n"
                : "这封邮件多次发送失败（" + attempts + " 次），系统不再重发。\nThis mail failed " + attempts
                        + " times; the hub will not send it again.\n\n");
        text.append("邮件 Mail\n");
        text.append("  收件人 To: ").append(to).append('\n');
        text.append("  类型 Kind: ").append(kind).append('\n');
        text.append("  主题 Subject: ").append(dead.headers().getOrDefault("subject", "-")).append('\n');
        text.append("  Message-ID: ").append(messages.messageIdFor(dead.messageId())).append('\n');
        if (caseNo != null) {
            text.append("  案件 Case: ").append(caseNo).append(dead.headers().containsKey("task") ? " " + dead.headers().get("task") : "")
                    .append('\n');
        }
        text.append("  尝试次数 Attempts: ").append(attempts).append('\n');
        text.append("  原因 Reason: ").append(error).append("\n\n");
        text.append("请核对收件地址（单位地址见 yk.mail.units.<code>.address，客户邮箱见案件），改正后由客户代表重新发送或转交。\n"
                + "Check the recipient's address (units: yk.mail.units.<code>.address; customers: the case), then resend or "
                + "pass the matter on by hand.\n");
        outbox.addIfAbsent(dead.caseId(), Outbox.MAIL, outboxIdOf(dead.messageId()), dead.groupKey(),
                Map.of("to", directory.repsAddress(), "kind", KIND, "subject", subject),
                messages.toPayload(OutgoingMail.notice(directory.hubAddress(), directory.repsAddress(), subject, text.toString(),
                        OffsetDateTime.now(clock))));
    }
}
