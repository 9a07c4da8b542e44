package cn.yekuo.hub.reports;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.mailtransport.MailDirectory;
import cn.yekuo.hub.mailtransport.MailFiles;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.outbox.Outbox;

/** The monthly mails (plans, summaries, reports): plain text and attachments, into the outbox (Outbox.MAIL). */
@Component
public class ReportMails {

    private final MailDirectory directory;
    private final MailMessages messages;
    private final Outbox outbox;
    private final MailFiles files;
    private final MailTemplates templates;

    public ReportMails(MailDirectory directory, MailMessages messages, Outbox outbox, MailFiles files, MailTemplates templates) {
        this.files = files;
        this.templates = templates;
        this.directory = directory;
        this.messages = messages;
        this.outbox = outbox;
    }

    public MailDirectory directory() {
        return directory;
    }

    /** The body of a monthly mail from its template under {@code mails/}. */
    public String text(String template, Map<String, ?> model) {
        return templates.render(template, model);
    }

    /**
     * Adds the mail unless the outbox holds one with this id already; true when added. The files are kept once
     * ({@link MailFiles}) and referenced by id: the outbox carries no attachment bytes (issue 15).
     */
    public boolean send(String outboxId, String to, String kind, String subject, String text, List<MailAttachment> attachments,
                        OffsetDateTime at) {
        if (outbox.exists(outboxId)) {
            return false;
        }
        List<OutgoingMail.Attachment> files = attachments.stream().map(this.files::store).toList();
        OutgoingMail mail = OutgoingMail.notice(directory.hubAddress(), to, subject, text, at).withAttachments(files);
        return outbox.addIfAbsent(null, Outbox.MAIL, outboxId, null, Map.of("to", to, "kind", kind, "subject", subject),
                messages.toPayload(mail));
    }

    public static MailAttachment pdf(String name, byte[] bytes) {
        return new MailAttachment(name + ".pdf", "application/pdf", bytes);
    }

    public static MailAttachment csv(String name, String text) {
        return new MailAttachment(name + ".csv", "text/csv; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
