package cn.yekuo.hub.documents;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.process.RepresentativePorts.Answer;
import cn.yekuo.hub.process.RepresentativePorts.DocumentResend;

/**
 * A representative resends an archived document to the customer: the archived bytes (verified against their
 * SHA-256) go out again as the mail of docs/contract.md §3 — same subject, {@code <caseNo>-<title>.pdf} — through the outbox.
 * No new version is made: the customer receives exactly what was issued. The timeline names the user.
 */
@Component
public class DocumentResends implements DocumentResend {

    private static final Logger log = LoggerFactory.getLogger(DocumentResends.class);

    private final DocumentArchive archive;
    private final CustomerMails mails;
    private final Outbox outbox;
    private final CaseStore cases;
    // not a route's transacted: a representative asks over HTTP, no route runs it
    private final TransactionTemplate tx;
    private final HubProperties hub;
    private final Clock clock;

    public DocumentResends(DocumentArchive archive, CustomerMails mails, Outbox outbox, CaseStore cases,
                           TransactionTemplate tx, HubProperties hub, Clock clock) {
        this.archive = archive;
        this.mails = mails;
        this.outbox = outbox;
        this.cases = cases;
        this.tx = tx;
        this.hub = hub;
        this.clock = clock;
    }

    @Override
    public Answer resend(String caseNo, long documentId, String user) {
        return tx.execute(status -> {
            Optional<CaseRecord> found = cases.lockByCaseNo(caseNo);
            if (found.isEmpty()) {
                return new Answer(Answer.Status.NOT_FOUND, "case " + caseNo + " is not known to the hub");
            }
            CaseRecord c = found.get();
            Optional<ArchivedDocument> doc = archive.find(documentId).filter(d -> d.caseId() == c.id());
            if (doc.isEmpty()) {
                return new Answer(Answer.Status.NOT_FOUND, "document " + documentId + " does not belong to case " + caseNo);
            }
            ArchivedDocument d = doc.get();
            if (!hub.documents().mailCustomers()) {
                return new Answer(Answer.Status.CONFLICT,
                        "documents are not mailed to customers on this hub (yk.documents.mail-customers=false)");
            }
            String to = c.customer().email();
            if (to == null || to.isBlank()) {
                return new Answer(Answer.Status.CONFLICT,
                        "case " + caseNo + " has no customer e-mail address: 《" + d.title() + "》" + d.documentNo()
                                + " cannot be mailed");
            }
            try {
                archive.read(d); // refused now rather than dead-lettered by the relay: the file must still match its hash
            } catch (DocumentArchiveException e) {
                log.error("Case {}: cannot resend document {}: {}", caseNo, documentId, e.getMessage());
                return new Answer(Answer.Status.CONFLICT, "the archived file of document " + documentId + " ("
                        + d.documentNo() + ") fails its check and is not sent: " + e.getMessage());
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            outbox.add(c.id(), Outbox.MAIL, UUID.randomUUID().toString(), caseNo,
                    Map.of("to", to, "kind", "CUSTOMER_DOCUMENT_RESENT", "subject", CustomerMails.subject(caseNo, d.type())),
                    mails.payload(to, c.customer().name(), caseNo, d, now));
            cases.appendTimeline(c.id(), now, user, "DOCUMENT_RESENT", c.stage(),
                    "重发《" + d.title() + "》" + d.documentNo() + (d.version() > 1 ? " 第" + d.version() + "版" : "")
                            + " 至 " + to + "（" + user + "）/ resent by " + user + " (sha256 " + d.sha256().substring(0, 12) + ")",
                    null);
            log.info("Case {}: user '{}' resent {} {} v{} (document {}) to the customer", caseNo, user, d.type(),
                    d.documentNo(), d.version(), documentId);
            return Answer.done("《" + d.title() + "》" + d.documentNo() + " resent to " + to);
        });
    }
}
