package cn.yekuo.hub.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Locale;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.springframework.stereotype.Component;

/**
 * Mails as outbox payloads: the complete RFC 822 text (ASCII: every non-ASCII part is transfer-encoded) with a
 * Message-ID derived from the outbox message id, so a mail sent again after a crash is recognisably the same mail.
 */
@Component("mailMessages")
public class MailMessages {

    private final Session session;
    private final String idDomain;

    public MailMessages(Session mailCompositionSession, MailDirectory directory) {
        this.session = mailCompositionSession;
        String hub = directory.hubAddress();
        this.idDomain = hub.substring(hub.indexOf('@') + 1);
    }

    public Session session() {
        return session;
    }

    /** {@code <outboxId@domain>}. */
    public String messageIdFor(String outboxMessageId) {
        return "<" + outboxMessageId + "@" + idDomain + ">";
    }

    /** Fixes Message-ID and Date, then writes the message out. */
    public String toPayload(MimeMessage message, String outboxMessageId, OffsetDateTime date) {
        try {
            message.setSentDate(Date.from(date.toInstant()));
            message.saveChanges();
            message.setHeader("Message-ID", messageIdFor(outboxMessageId));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            byte[] bytes = out.toByteArray();
            for (byte b : bytes) {
                if (b < 0) {
                    throw new IllegalStateException("a composed mail must be 7-bit: " + outboxMessageId);
                }
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot write mail " + outboxMessageId, e);
        }
    }

    /** The payload as a message ready for camel-mail's SMTP producer (recipients from its own headers). */
    public MimeMessage fromPayload(String payload) {
        try {
            return new StoredMessage(session, payload.getBytes(StandardCharsets.US_ASCII));
        } catch (MessagingException e) {
            throw new IllegalStateException("unreadable outbox mail", e);
        }
    }

    /** A stored mail keeps the Message-ID it was composed with when the SMTP send saves its changes. */
    private static final class StoredMessage extends MimeMessage {
        StoredMessage(Session session, byte[] raw) throws MessagingException {
            super(session, new ByteArrayInputStream(raw));
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
