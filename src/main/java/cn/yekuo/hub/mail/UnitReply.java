package cn.yekuo.hub.mail;

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
 */
public record UnitReply(
        String sender,
        String subject,
        Optional<String> messageId,
        String body,
        List<MailAttachment> attachments,
        Optional<String> autoReplySign) {

    public UnitReply {
        attachments = List.copyOf(attachments);
    }

    public boolean isAutoReply() {
        return autoReplySign.isPresent();
    }
}
