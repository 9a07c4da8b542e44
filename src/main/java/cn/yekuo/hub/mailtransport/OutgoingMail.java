package cn.yekuo.hub.mailtransport;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A mail as its outbox row keeps it (the payload, as JSON): everything the {@code mail-relay} route needs to compose
 * it at send time — addresses, subject, text (and HTML), date and attachment references. The bytes of an attachment
 * are stored once (archived document, kept reply attachment, or a {@code mail_file}) and read when the mail is sent;
 * never copied into the payload (issue 15).
 *
 * @param fromName   display name of the sender, or null
 * @param html       the HTML alternative of the text, or null
 * @param autoSubmitted whether the mail carries {@code Auto-Submitted: auto-generated} (RFC 3834)
 * @param body   the text and HTML written at send time from this model (text and html null then), or null
 */
public record OutgoingMail(String from, String fromName, List<String> to, List<String> replyTo, String subject, String text,
                           String html, boolean autoSubmitted, OffsetDateTime date, List<Attachment> attachments,
                           Body body) {

    public OutgoingMail(String from, String fromName, List<String> to, List<String> replyTo, String subject, String text,
                        String html, boolean autoSubmitted, OffsetDateTime date, List<Attachment> attachments) {
        this(from, fromName, to, replyTo, subject, text, html, autoSubmitted, date, attachments, null);
    }

    public OutgoingMail {
        to = List.copyOf(to);
        replyTo = replyTo == null ? List.of() : List.copyOf(replyTo);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A plain-text mail from the hub with {@code Auto-Submitted: auto-generated}. */
    public static OutgoingMail notice(String from, String to, String subject, String text, OffsetDateTime date) {
        return new OutgoingMail(from, null, List.of(to), List.of(), subject, text, null, true, date, List.of());
    }

    public OutgoingMail withAttachments(List<Attachment> files) {
        return new OutgoingMail(from, fromName, to, replyTo, subject, text, html, autoSubmitted, date, files, body);
    }

    /** The mail with its text and HTML as written from its {@link Body}. */
    public OutgoingMail written(String writtenText, String writtenHtml) {
        return new OutgoingMail(from, fromName, to, replyTo, subject, writtenText, writtenHtml, autoSubmitted, date, attachments, null);
    }

    /**
     * A body written by the relay when it sends the mail, not in the transaction of its cause: the {@link MailBodies} of
     * that {@code kind} writes the text and HTML from the model, the facts as they were at the cause (issue 19).
     */
    public record Body(String kind, JsonNode model) {
    }

    /** Where an attachment's bytes are kept. */
    public enum Source {
        /** {@code case_document.id}: an archived customer document (SHA-256 checked when read). */
        DOCUMENT,
        /**
         * {@code outbox.id} of a document request: the customer document it issues (its round's latest version), read
         * when the mail is sent; the mail waits until the case's earlier requests are issued (Outbox#claimPendingMail).
         */
        REQUESTED_DOCUMENT,
        /** {@code mail_attachment.id}: a file of an accepted unit reply. */
        REPLY_ATTACHMENT,
        /** {@code mail_file.id}: a file made for a mail only (monthly reports). */
        MAIL_FILE
    }

    /** A reference to stored bytes, with the name and type the attachment has in the mail. */
    public record Attachment(Source source, long id, String fileName, String contentType, long size) {
    }
}
