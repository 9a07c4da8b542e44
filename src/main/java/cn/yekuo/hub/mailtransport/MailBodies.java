package cn.yekuo.hub.mailtransport;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes the text and HTML of one kind of mail from the model its outbox row keeps ({@link OutgoingMail.Body}): the
 * templates run in the mail relay after commit, not while the cause's transaction holds the case locked.
 */
public interface MailBodies {

    /** The {@link OutgoingMail.Body#kind()} this writer answers for. */
    String kind();

    /** The mail with its text (and HTML) written from its body's model. */
    OutgoingMail write(OutgoingMail mail, JsonNode model);
}
