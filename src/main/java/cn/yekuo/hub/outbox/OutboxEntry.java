package cn.yekuo.hub.outbox;

import java.util.Map;

/** One effect waiting to leave the hub: a status message now, mails and documents later. */
public record OutboxEntry(long id, Long caseId, String channel, String messageId, String groupKey,
                          Map<String, String> headers, String payload) {
}
