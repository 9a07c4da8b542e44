package cn.yekuo.hub.documents;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseAssignments;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.mailtransport.MailDirectory;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.mailtransport.relay.MailRelayFailures;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.outbox.OutboxEntry;

/**
 * What the {@code document-issuer} does with a requested document that could not be issued (issue 15: a document that
 * fails every time is not tried for ever): like the mail relay, the state lives on the request's outbox row. Each
 * failure counts one attempt and the request waits until {@code next_attempt_at} (exponential backoff) while the other
 * requests go on; after {@code yk.documents.issue-max-attempts} it is set aside ({@code dead_at}) with a notice to the
 * representatives ({@code mails/document-failed.ftl}) and counted by {@code yk_documents_failed}. A database outage is no attempt: the request simply stays.
 */
@Component
public class DocumentRequestFailures {

    /** The {@code kind} header of the notice mail. */
    public static final String NOTICE_KIND = "DOCUMENT_FAILED_NOTICE";

    private static final Logger log = LoggerFactory.getLogger(DocumentRequestFailures.class);

    private final Outbox outbox;
    private final MailDirectory directory;
    private final MailMessages messages;
    private final Clock clock;
    private final TransactionTemplate ownTx;
    private final Outbox.Retry retry;
    private final MailTemplates templates;
    private final CaseAssignments assignments;

    public DocumentRequestFailures(Outbox outbox, MailDirectory directory, MailMessages messages, Clock clock,
                                   PlatformTransactionManager transactions, HubProperties hub, MailTemplates templates,
                                   CaseAssignments assignments) {
        this.assignments = assignments;
        this.outbox = outbox;
        this.templates = templates;
        this.directory = directory;
        this.messages = messages;
        this.clock = clock;
        this.ownTx = new TransactionTemplate(transactions);
        this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.retry = new Outbox.Retry(hub.documents().issueMaxAttempts(), hub.documents().issueBackoff(),
                hub.documents().issueMaxBackoff());
    }

    /** Records the failure on the request's row, in a transaction of its own (the issuing one has rolled back). */
    public void failed(OutboxEntry request, String what, RuntimeException failure) {
        if (isDatabaseOutage(failure)) {
            log.warn("Document request {} not issued, the database is unavailable (no attempt counted): {}",
                    request.messageId(), failure.toString());
            return;
        }
        String error = cut(failure.toString());
        try {
            ownTx.executeWithoutResult(status -> {
                Outbox.Failure recorded = outbox.recordFailure(request.id(), error, false, retry);
                if (!recorded.recorded()) {
                    log.info("Document request {} ({}) failed here but was issued or taken over by another node meanwhile: {}",
                            request.messageId(), what, error);
                } else if (recorded.dead()) {
                    log.error("Document request {} ({}) set aside after {} attempts, never tried again: {}",
                            request.messageId(), what, recorded.attempts(), error, failure);
                    if (request.caseId() != null) {
                        // the hand-offs that wait for it are tried (and dead-lettered visibly, its file missing), not held for ever
                        outbox.releaseMailsAwaitingDocuments(request.caseId());
                    }
                    notifyRepresentatives(request, what, recorded.attempts(), error);
                } else {
                    log.warn("Document request {} ({}) not issued (attempt {} of {}), tried again from {}: {}",
                            request.messageId(), what, recorded.attempts(), retry.maxAttempts(), recorded.retryAt(), error);
                }
            });
        } catch (RuntimeException e) {
            log.warn("Document request {} not issued and its attempt not recorded, tried again on the next run: {} ({})",
                    request.messageId(), failure.toString(), e.toString());
        }
    }

    private void notifyRepresentatives(OutboxEntry request, String what, int attempts, String error) {
        String caseNo = request.groupKey();
        String type = request.headers().getOrDefault("type", "-");
        String subject = "【业扩报装】客户文件无法出具 Document not issued：" + type + " [" + caseNo + "]";
        Map<String, Object> model = new HashMap<>();
        model.put("attempts", attempts);
        model.put("caseNo", String.valueOf(caseNo));
        model.put("type", type);
        model.put("what", String.valueOf(what));
        model.put("request", request.messageId());
        model.put("reason", String.valueOf(error));
        String text = templates.render("document-failed.ftl", model);
        String to = assignments.noticeAddress(request.caseId(), directory.repsAddress()); // the case's representative
        outbox.addIfAbsent(request.caseId(), Outbox.MAIL, noticeIdOf(request.messageId()), caseNo,
                Map.of("to", to, "kind", NOTICE_KIND, "subject", subject),
                messages.toPayload(OutgoingMail.notice(directory.hubAddress(), to, subject, text,
                        OffsetDateTime.now(clock))));
    }

    /** {@code docfail-<case id>-<type>-<round>}: a valid Message-ID part (no ':'), fits the outbox's column. */
    static String noticeIdOf(String requestId) {
        return "docfail-" + requestId.substring(CustomerDocuments.DOCUMENT_REQUEST.length()).replace(':', '-');
    }

    private static boolean isDatabaseOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    private static String cut(String s) {
        return s.length() <= 1900 ? s : s.substring(0, 1900);
    }
}
