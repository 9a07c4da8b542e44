package cn.yekuo.hub.replies;

import cn.yekuo.hub.replies.grammar.Rejection;
import java.util.Optional;

/** The outcome of reading a mail: a {@link UnitReply}, or the reason it could not be read. */
public sealed interface MailReading permits MailReading.Read, MailReading.Refused {

    /** The mail was read; whether its content is usable is {@link ReplyValidator}'s question. */
    record Read(UnitReply reply) implements MailReading {
    }

    /**
     * The mail is unreadable or too large. Sender and subject are given when they could be read,
     * so the quarantine notice can say whose mail it was.
     */
    record Refused(Rejection rejection, Optional<String> sender, Optional<String> subject) implements MailReading {
    }
}
