package cn.yekuo.hub.deadletters;

import java.time.OffsetDateTime;

/**
 * A message of {@code yk.dlq} as an operator sees it: where it came from, why it is there, and whom it concerns.
 *
 * @param id            the broker's JMS message id ({@code ID:…}), how the view and the API name it
 * @param queue         the queue it was read from, to which a replay sends it; null when not known
 * @param errorCode     {@code yk_error_code}: the MessageRejected code, or PROCESSING_FAILED (poison)
 * @param errorMessage  {@code yk_error_message}
 * @param type          the JSON {@code type} of the body, when it is JSON with one
 * @param messageId     billing's {@code messageId} in the body, when readable
 * @param applicationNo billing's {@code applicationNo} in the body, when readable
 * @param deadLetteredAt when it was put on the queue (JMSTimestamp)
 * @param bodyBytes     the body's size in bytes (UTF-8 for a text message)
 */
public record DeadLetter(String id, String queue, String errorCode, String errorMessage, String type, String messageId,
                         String applicationNo, OffsetDateTime deadLetteredAt, long bodyBytes) {

    /** Only billing's input queues take a replay: a dead letter is never sent anywhere else. */
    public boolean replayable() {
        return queue != null && DeadLetterQueue.REPLAY_QUEUES.contains(queue);
    }
}
