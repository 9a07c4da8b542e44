package cn.yekuo.hub.support;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** A unit's answer to a hand-off as a mail client makes it (shared by the mail tests and the end-to-end tests). */
public final class Replies {

    private Replies() {
    }

    /**
     * "Re:" subject keeping the token, In-Reply-To, UTF-8 text, a fresh Message-ID, addressed to {@code hub}; each
     * attachment a PDF named 设计图纸-n.pdf.
     */
    public static MimeMessage reply(MimeMessage handoff, String from, String hub, String body, byte[]... attachments) {
        try {
            MimeMessage reply = (MimeMessage) handoff.reply(false);
            reply.setFrom(new InternetAddress(from));
            reply.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(hub));
            if (attachments.length == 0) {
                reply.setText(body, StandardCharsets.UTF_8.name());
            } else {
                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart text = new MimeBodyPart();
                text.setText(body, StandardCharsets.UTF_8.name());
                mixed.addBodyPart(text);
                int n = 1;
                for (byte[] content : attachments) {
                    MimeBodyPart part = new MimeBodyPart();
                    part.setDataHandler(new jakarta.activation.DataHandler(
                            new jakarta.mail.util.ByteArrayDataSource(content, "application/pdf")));
                    part.setFileName("设计图纸-" + n++ + ".pdf");
                    part.setDisposition(MimeBodyPart.ATTACHMENT);
                    mixed.addBodyPart(part);
                }
                reply.setContent(mixed);
            }
            reply.saveChanges();
            reply.setHeader("Message-ID", "<" + UUID.randomUUID() + "@unit.yekuo.local>");
            return reply;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
