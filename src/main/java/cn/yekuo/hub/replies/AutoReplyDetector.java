package cn.yekuo.hub.replies;

import cn.yekuo.hub.mailtransport.MailCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Recognises out-of-office replies and delivery failures, which often keep the token in their
 * subject but are never a unit's answer. Headers first (RFC 3834, Exchange, DSN), then the sender,
 * then the subject.
 */
public final class AutoReplyDetector {

    private static final List<String> AUTO_REPLY_FLAG_HEADERS =
            List.of("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "X-Failed-Recipients");
    private static final List<String> AUTOMATIC_PRECEDENCE = List.of("auto_reply", "bulk", "junk");
    private static final List<String> SYSTEM_SENDERS = List.of("mailer-daemon", "postmaster");
    private static final Pattern AUTOMATIC_SUBJECT = Pattern.compile(
            "自动回复|自动答复|系统退信|退信|auto[\\s\\-]?reply|automatic reply|auto[\\s\\-]?response"
                    + "|out of (the )?office|undeliverable|undelivered mail|delivery status notification"
                    + "|delivery (has )?failed|delivery failure|mail delivery failed|returned mail",
            Pattern.CASE_INSENSITIVE);

    /** Why the mail is automatic, e.g. {@code Auto-Submitted: auto-replied}; empty for a person's mail. */
    public Optional<String> detect(MimeMessage message) throws MessagingException {
        String autoSubmitted = firstHeader(message, "Auto-Submitted");
        if (autoSubmitted != null && !headerToken(autoSubmitted).equals("no")) {
            return Optional.of("Auto-Submitted: " + autoSubmitted.trim());
        }
        for (String name : AUTO_REPLY_FLAG_HEADERS) {
            String value = firstHeader(message, name);
            if (value != null) {
                return Optional.of(name + ": " + value.trim());
            }
        }
        String precedence = firstHeader(message, "Precedence");
        if (precedence != null && AUTOMATIC_PRECEDENCE.contains(headerToken(precedence))) {
            return Optional.of("Precedence: " + precedence.trim());
        }
        String contentType = message.getContentType();
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/report")) {
            return Optional.of("Content-Type: multipart/report");
        }
        String returnPath = firstHeader(message, "Return-Path");
        if (returnPath != null && returnPath.trim().equals("<>")) {
            return Optional.of("Return-Path: <>"); // the null sender of bounces (RFC 5321)
        }
        Optional<String> systemSender = systemSender(message);
        if (systemSender.isPresent()) {
            return systemSender;
        }
        return automaticSubject(MailCharsets.decodeHeader(firstHeader(message, "Subject")));
    }

    /**
     * A subject phrase such as {@code 自动回复} or {@code Out of Office}, looked for only before the
     * task token so that a customer name can never trigger it.
     */
    Optional<String> automaticSubject(String subject) {
        if (subject == null) {
            return Optional.empty();
        }
        int token = subject.indexOf("[YK-");
        String beforeToken = token >= 0 ? subject.substring(0, token) : subject;
        var phrase = AUTOMATIC_SUBJECT.matcher(beforeToken);
        return phrase.find() ? Optional.of("Subject: " + phrase.group()) : Optional.empty();
    }

    private static Optional<String> systemSender(MimeMessage message) {
        Address[] from;
        try {
            from = message.getFrom();
        } catch (MessagingException e) {
            return Optional.empty(); // the reader reports an unreadable sender
        }
        if (from == null) {
            return Optional.empty();
        }
        for (Address address : from) {
            if (address instanceof InternetAddress internet && internet.getAddress() != null) {
                String local = internet.getAddress().toLowerCase(Locale.ROOT);
                int at = local.indexOf('@');
                local = at >= 0 ? local.substring(0, at) : local;
                if (SYSTEM_SENDERS.contains(local)) {
                    return Optional.of("From: " + internet.getAddress());
                }
            }
        }
        return Optional.empty();
    }

    private static String firstHeader(MimeMessage message, String name) throws MessagingException {
        String[] values = message.getHeader(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    /** The first token of a header value: {@code auto-replied; owner=...} → {@code auto-replied}. */
    private static String headerToken(String value) {
        String token = value.trim().toLowerCase(Locale.ROOT);
        int semicolon = token.indexOf(';');
        return (semicolon >= 0 ? token.substring(0, semicolon) : token).trim();
    }
}
