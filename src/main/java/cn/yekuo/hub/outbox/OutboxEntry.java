package cn.yekuo.hub.outbox;

import java.util.Map;

/**
 * One effect waiting to leave the hub: a status message now, mails and documents later. {@code claimedAt} is when this
 * node began the claim that took it ({@link System#nanoTime()}), null when it was read without a claim.
 */
public record OutboxEntry(long id, Long caseId, String channel, String messageId, String groupKey,
                          Map<String, String> headers, String payload, Long claimedAt) {

    /** An entry read without a claim. */
    public OutboxEntry(long id, Long caseId, String channel, String messageId, String groupKey,
                       Map<String, String> headers, String payload) {
        this(id, caseId, channel, messageId, groupKey, headers, payload, null);
    }

    OutboxEntry claimedAt(long nanos) {
        return new OutboxEntry(id, caseId, channel, messageId, groupKey, headers, payload, nanos);
    }
}
