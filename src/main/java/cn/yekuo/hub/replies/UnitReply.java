package cn.yekuo.hub.replies;

import cn.yekuo.hub.mailtransport.MailAttachment;
import java.util.List;
import java.util.Optional;

/**
 * A unit's mail as the hub reads it, before any judgement about its content.
 *
 * @param sender        the From address, lower-cased
 * @param subject       decoded subject ("" when absent)
 * @param messageId     the Message-ID header, if the mail has one
 * @param body          the text/plain body, or the HTML body converted to text ("" when none)
 * @param attachments   every part that is not the body
 * @param autoReplySign why {@link AutoReplyDetector} takes the mail for an automatic one, if it does
 * @param authenticationResults the Authentication-Results header fields, topmost first (RFC 8601)
 */
public record UnitReply(
        String sender,
        String subject,
        Optional<String> messageId,
        String body,
        List<MailAttachment> attachments,
        Optional<String> autoReplySign,
        List<String> authenticationResults) {

    public UnitReply {
        attachments = List.copyOf(attachments);
        authenticationResults = List.copyOf(authenticationResults);
    }

    public UnitReply(String sender, String subject, Optional<String> messageId, String body, List<MailAttachment> attachments,
                     Optional<String> autoReplySign) {
        this(sender, subject, messageId, body, attachments, autoReplySign, List.of());
    }

    public boolean isAutoReply() {
        return autoReplySign.isPresent();
    }
}
