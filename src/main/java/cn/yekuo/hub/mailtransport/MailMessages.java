package cn.yekuo.hub.mailtransport;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.outbox.OutboxEntry;

/**
 * Mails in the outbox: written as an {@link OutgoingMail} (JSON, attachments by reference) in the transaction of their
 * cause, composed into a MIME message by the {@code mail-relay} route when it sends them. The Message-ID derives from
 * the outbox message id and the Date is the one written, so a mail sent again after a crash is recognisably the same.
 */
@Component("mailMessages")
public class MailMessages {

    private final Session session;
    private final String idDomain;
    private final Map<OutgoingMail.Source, AttachmentSource> sources = new EnumMap<>(OutgoingMail.Source.class);
    private final Map<String, MailBodies> bodies = new java.util.HashMap<>();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public MailMessages(Session mailCompositionSession, MailDirectory directory, List<AttachmentSource> sources,
                        List<MailBodies> bodies) {
        this.session = mailCompositionSession;
        String hub = directory.hubAddress();
        this.idDomain = hub.substring(hub.indexOf('@') + 1);
        sources.forEach(source -> this.sources.put(source.source(), source));
        bodies.forEach(writer -> this.bodies.put(writer.kind(), writer));
    }

    /** A body the relay writes at send time from this model (JSON of it in the payload). */
    public OutgoingMail.Body body(String kind, Object model) {
        return new OutgoingMail.Body(kind, json.valueToTree(model));
    }

    public Session session() {
        return session;
    }

    /** {@code <outboxId@domain>}. */
    public String messageIdFor(String outboxMessageId) {
        return "<" + outboxMessageId + "@" + idDomain + ">";
    }

    /** The outbox payload of a mail: small JSON, never the attachments' bytes. */
    public String toPayload(OutgoingMail mail) {
        try {
            return json.writeValueAsString(mail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write mail " + mail.subject(), e);
        }
    }

    public OutgoingMail fromPayload(String payload) {
        try {
            return json.readValue(payload, OutgoingMail.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable outbox mail", e);
        }
    }

    /**
     * The relay's step: the entry's mail composed for camel-mail's SMTP producer (recipients from its own headers),
     * its attachments read from where they are kept and checked against their SHA-256.
     */
    public MimeMessage compose(@ExchangeProperty(Outbox.ENTRY) OutboxEntry entry) throws MessagingException {
        OutgoingMail mail = written(fromPayload(entry.payload()));
        List<MailAttachment> attached = new ArrayList<>();
        for (OutgoingMail.Attachment a : mail.attachments()) {
            attached.add(new MailAttachment(a.fileName(), a.contentType(), read(a)));
        }
        return mime(session, mail, attached, messageIdFor(entry.messageId()));
    }

    /** The mail with its body written, when its row keeps a model rather than the text. */
    public OutgoingMail written(OutgoingMail mail) {
        if (mail.body() == null) {
            return mail;
        }
        MailBodies writer = bodies.get(mail.body().kind());
        if (writer == null) {
            throw new IllegalStateException("no writer of mails of kind " + mail.body().kind());
        }
        return writer.write(mail, mail.body().model());
    }

    private byte[] read(OutgoingMail.Attachment a) {
        AttachmentSource source = sources.get(a.source());
        if (source == null) {
            throw new IllegalStateException("no store keeps attachments of kind " + a.source());
        }
        return source.read(a.id());
    }

    /**
     * The MIME structure of every hub mail: the text (or text and HTML as {@code multipart/alternative}), and with
     * attachments a {@code multipart/mixed} of that body and the files (base64, RFC 2231 file names).
     *
     * @param messageId the fixed Message-ID, or null to let Jakarta Mail make one
     */
    public static MimeMessage mime(Session session, OutgoingMail mail, List<MailAttachment> attachments, String messageId)
            throws MessagingException {
        MimeMessage m = new FixedIdMessage(session, messageId);
        try {
            m.setFrom(mail.fromName() == null ? new InternetAddress(mail.from(), true)
                    : new InternetAddress(mail.from(), mail.fromName(), StandardCharsets.UTF_8.name()));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        m.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(String.join(",", mail.to()), true));
        if (!mail.replyTo().isEmpty()) {
            m.setReplyTo(InternetAddress.parse(String.join(",", mail.replyTo()), true));
        }
        m.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        if (mail.autoSubmitted()) {
            m.setHeader("Auto-Submitted", "auto-generated"); // RFC 3834: no robot answers the hub's mails
        }
        if (mail.date() != null) {
            m.setSentDate(Date.from(mail.date().toInstant()));
        }
        MimeMultipart alternative = null;
        if (mail.html() != null) {
            alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
            alternative.addBodyPart(text);
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
            alternative.addBodyPart(html);
        }
        if (attachments.isEmpty()) {
            if (alternative != null) {
                m.setContent(alternative);
            } else {
                m.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
            }
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            if (alternative != null) {
                body.setContent(alternative);
            } else {
                body.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
            }
            mixed.addBodyPart(body);
            for (MailAttachment a : attachments) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.content(), a.contentType())));
                part.setFileName(a.fileName());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                part.setHeader("Content-Transfer-Encoding", "base64");
                mixed.addBodyPart(part);
            }
            m.setContent(mixed);
        }
        m.saveChanges();
        return m;
    }

    /** A composed mail keeps its Message-ID when the SMTP send saves its changes again. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (messageId != null) {
                setHeader("Message-ID", messageId);
            } else if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
