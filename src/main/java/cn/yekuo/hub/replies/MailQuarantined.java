package cn.yekuo.hub.replies;

import java.time.OffsetDateTime;
import java.util.List;

import cn.yekuo.hub.replies.grammar.Rejection;

/**
 * A mail of the hub's mailbox went to Quarantine (published inside the reader's transaction, so whatever a listener
 * writes commits with it); caseNo/taskNo when its token named a known task.
 */
public record MailQuarantined(String mailKey, String sender, String subject, String messageId, OffsetDateTime receivedAt,
                              Long caseId, String caseNo, Integer taskNo, String folder, List<Rejection> reasons) {
}
