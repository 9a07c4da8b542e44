package cn.yekuo.hub.monthly;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.mail.MailAttachment;
import cn.yekuo.hub.mail.MailDirectory;
import cn.yekuo.hub.mail.MailMessages;
import cn.yekuo.hub.outbox.Outbox;

/** The monthly mails (plans, summaries, reports): plain text and attachments, into the outbox (Outbox.MAIL). */
@Component
public class ReportMails {

    private final MailDirectory directory;
    private final MailMessages messages;
    private final Outbox outbox;

    public ReportMails(MailDirectory directory, MailMessages messages, Outbox outbox) {
        this.directory = directory;
        this.messages = messages;
        this.outbox = outbox;
    }

    public MailDirectory directory() {
        return directory;
    }

    /** Adds the mail unless the outbox holds one with this id already; true when added. */
    public boolean send(String outboxId, String to, String kind, String subject, String text, List<MailAttachment> attachments,
                        OffsetDateTime at) {
        try {
            MimeMessage message = new MimeMessage(messages.session());
            message.setFrom(new InternetAddress(directory.hubAddress()));
            message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
            message.setSubject(subject, StandardCharsets.UTF_8.name());
            message.setHeader("Auto-Submitted", "auto-generated");
            if (attachments.isEmpty()) {
                message.setText(text, StandardCharsets.UTF_8.name(), "plain");
            } else {
                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart body = new MimeBodyPart();
                body.setText(text, StandardCharsets.UTF_8.name(), "plain");
                mixed.addBodyPart(body);
                for (MailAttachment a : attachments) {
                    MimeBodyPart part = new MimeBodyPart();
                    part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.content(), a.contentType())));
                    part.setFileName(a.fileName());
                    part.setDisposition(MimeBodyPart.ATTACHMENT);
                    mixed.addBodyPart(part);
                }
                message.setContent(mixed);
            }
            return outbox.addIfAbsent(null, Outbox.MAIL, outboxId, null, Map.of("to", to, "kind", kind, "subject", subject),
                    messages.toPayload(message, outboxId, at));
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot compose monthly mail " + outboxId, e);
        }
    }

    static MailAttachment pdf(String name, byte[] bytes) {
        return new MailAttachment(name + ".pdf", "application/pdf", bytes);
    }

    static MailAttachment csv(String name, String text) {
        return new MailAttachment(name + ".csv", "text/csv; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
