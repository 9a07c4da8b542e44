package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.DocumentData;
import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.rendering.DocumentRenderingException;
import cn.yekuo.hub.rendering.DocumentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.multipdf.PDFMergerUtility;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.workflow.CaseState;
import cn.yekuo.hub.domain.workflow.Effect;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.outbox.OutboxEntry;
import cn.yekuo.hub.process.CaseContext;
import cn.yekuo.hub.process.CaseEffectHandler;
import cn.yekuo.hub.process.CaseStates;

/**
 * The customer's documents, requested at their stage inside the transition's transaction and issued after it commits
 * (docs/domain.md "Documents the customer receives", docs/documents.md): rendered, sealed, archived ({@link
 * DocumentArchive}) and put in the outbox as a mail to the customer (the outbox's mail channel, sent by the mail relay).
 *
 * <table>
 * <tr><th>effect</th><th>document</th></tr>
 * <tr><td>stage → AWAITING_MATERIALS</td><td>MATERIALS_NOTICE</td></tr>
 * <tr><td>stage → ACCEPTED</td><td>CONTACT_CARD</td></tr>
 * <tr><td>SchemeCompleted</td><td>SCHEME_REPLY</td></tr>
 * <tr><td>AcceptanceRecorded (pass or fail)</td><td>ACCEPTANCE_OPINION, one per round</td></tr>
 * <tr><td>ContractDue</td><td>CONTRACT, with the ASSET_TRANSFER_AGREEMENT merged in</td></tr>
 * <tr><td>Energized</td><td>ENERGIZATION_NOTICE</td></tr>
 * </table>
 *
 * <p>No document is rendered in the transition, so the thread applying a unit's reply or billing's event renders
 * nothing: it only records a request (an outbox row of channel {@link Outbox#DOCUMENT}, in the transition's
 * transaction, so a rolled-back transition requests nothing) with what must be as it was at the transition (time,
 * stage, round, the workflow state). The {@code document-issuer} route issues it after commit ({@link
 * #issueRequested}), archiving, mailing and marking the request done in one transaction of its own, in the order the
 * case's requests were made. A request seen again finds its document archived and only marks itself done. A hand-off
 * of the same transition attaches the request ({@link RequestedDocuments}).
 *
 * <p>A document that cannot be issued counts an attempt on its request, which is retried with backoff and set aside
 * visibly after its last attempt ({@link DocumentRequestFailures}): a stage is never passed without its request.
 */
@Component
public class CustomerDocuments implements CaseEffectHandler {

    /** Outbox channel of customer mails: the payload is the complete RFC 822 message. */
    /** Main memory the merge of a contract and its agreement may use (a few hundred KiB each in practice). */
    private static final long MERGE_MEMORY_BYTES = 64L * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(CustomerDocuments.class);

    private final DocumentRenderer renderer;
    private final CaseDocumentData data;
    private final DocumentArchive archive;
    private final CustomerMails mails;
    private final Outbox outbox;
    private final CaseStore cases;
    private final CaseStates states;
    // not a route's transacted: regenerate serves a representative over HTTP, no route runs it
    private final TransactionTemplate tx;
    private final HubProperties hub;
    private final Clock clock;
    private final ObjectMapper json;
    // each request of the issuer's batch commits alone (as each mail of the mail relay), its failure recorded after the rollback; kept here
    private final TransactionTemplate ownTx;
    private final DocumentRequestFailures failures;
    private final DocumentSeal seal;

    /** What the transition asks the document issuer to issue: the data that must be as it was at the transition. */
    public record Request(String caseNo, DocumentType type, int round, OffsetDateTime at, Stage stage,
                          List<Material> missingMaterials, String state) {
    }

    public CustomerDocuments(DocumentRenderer renderer, CaseDocumentData data, DocumentArchive archive, CustomerMails mails,
                             Outbox outbox, CaseStore cases, CaseStates states,
                             TransactionTemplate tx, HubProperties hub, Clock clock, ObjectMapper json,
                             DocumentRequestFailures failures, DocumentSeal seal) {
        this.seal = seal;
        this.json = json;
        this.failures = failures;
        this.ownTx = new TransactionTemplate(tx.getTransactionManager());
        this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.renderer = renderer;
        this.data = data;
        this.archive = archive;
        this.mails = mails;
        this.outbox = outbox;
        this.cases = cases;
        this.states = states;
        this.tx = tx;
        this.hub = hub;
        this.clock = clock;
    }

    @Override
    public void on(CaseContext context, Effect effect) {
        CaseRecord c = context.record();
        CaseState state = context.state();
        if (effect instanceof Effect.StageChanged sc && sc.to() == Stage.AWAITING_MATERIALS) {
            request(context, DocumentType.MATERIALS_NOTICE, 0);
        } else if (effect instanceof Effect.StageChanged sc && sc.to() == Stage.ACCEPTED) {
            request(context, DocumentType.CONTACT_CARD, 0);
        } else if (effect instanceof Effect.SchemeCompleted) {
            request(context, DocumentType.SCHEME_REPLY, 0);
        } else if (effect instanceof Effect.AcceptanceRecorded) {
            // one opinion per acceptance round: the round is the acceptance's place in the state, fixed now
            request(context, DocumentType.ACCEPTANCE_OPINION, state.acceptances().size());
        } else if (effect instanceof Effect.ContractDue) {
            request(context, DocumentType.CONTRACT, 0);
        } else if (effect instanceof Effect.Energized) {
            request(context, DocumentType.ENERGIZATION_NOTICE, 0);
        }
    }

    /**
     * Records, in the transition's transaction, the request to issue a document after commit, with what must be as it
     * was at the transition: its time, stage, round and the workflow state (the case's snapshot just written). Without a
     * fixed round ({@code 0}) the round counts the rounds archived and those already requested, so two requests of a
     * type pending at once differ.
     */
    private void request(CaseContext context, DocumentType type, int fixedRound) {
        CaseRecord c = context.record();
        CaseState state = context.state();
        String prefix = DOCUMENT_REQUEST + c.id() + ":" + type.name() + ":";
        int round = fixedRound;
        if (round <= 0) {
            round = archive.rounds(c.id(), type);
            for (String id : outbox.messageIds(c.id(), Outbox.DOCUMENT, prefix)) {
                round = Math.max(round, Integer.parseInt(id.substring(prefix.length())));
            }
            round++;
        }
        List<Material> missing = type == DocumentType.MATERIALS_NOTICE ? List.copyOf(state.missingMaterials()) : List.of();
        Request r = new Request(c.caseNo(), type, round, context.now(), state.stage(), missing, c.stateJson());
        String payload;
        try {
            payload = json.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the document request of case " + c.caseNo(), e);
        }
        outbox.addIfAbsent(c.id(), Outbox.DOCUMENT, prefix + round, c.caseNo(), Map.of("type", type.name()), payload);
    }

    /** Message ids of document requests: {@code document:<caseId>:<type>:<round>}. */
    static final String DOCUMENT_REQUEST = "document:";

    /**
     * Issues a requested intake document in a transaction of its own: renders, archives, puts the customer mail in
     * the outbox and marks the request done, all or nothing. A request already done, or whose document (same case,
     * type and round) is already archived, only marks itself done. A failure counts one attempt on the request, which
     * waits for its next attempt (backoff) or is set aside after the last ({@link DocumentRequestFailures}).
     *
     * @return the document issued now, empty when there was nothing to issue or issuing failed
     */
    public Optional<ArchivedDocument> issueRequested(OutboxEntry entry) {
        // a request is grouped by its case number: every line about it names the case
        try (MDC.MDCCloseable caseNo = entry.groupKey() == null ? null : MDC.putCloseable("caseNo", entry.groupKey())) {
            return issueOne(entry);
        }
    }

    private Optional<ArchivedDocument> issueOne(OutboxEntry entry) {
        try {
            return ownTx.execute(status -> {
                if (!outbox.lockPending(entry.id())) {
                    return Optional.<ArchivedDocument>empty();
                }
                if (entry.caseId() != null && outbox.earlierPending(entry.caseId(), Outbox.DOCUMENT, entry.id())) {
                    // the case's documents are issued in the order requested: an earlier one still waiting (its
                    // backoff) goes first, so the energization notice finds the contract's number, the contract the
                    // scheme reply's date. Left pending, no attempt counted
                    log.debug("Document request {} waits for an earlier request of its case", entry.messageId());
                    return Optional.<ArchivedDocument>empty();
                }
                Request r = readRequest(entry);
                CaseRecord c = cases.findByCaseNo(r.caseNo())
                        .orElseThrow(() -> new IllegalStateException("case " + r.caseNo() + " is not known to the hub"));
                boolean archived = archive.list(r.caseNo()).stream()
                        .anyMatch(d -> d.type() == r.type() && d.round() == r.round());
                Optional<ArchivedDocument> issued = Optional.empty();
                if (archived) {
                    log.info("Case {}: {} round {} already archived, request {} only marked done", r.caseNo(), r.type(),
                            r.round(), entry.messageId());
                } else {
                    // the state as the transition left it (a request written before the snapshot: the case as it is now)
                    CaseState state = states.read(r.state() != null ? r.state() : c.stateJson());
                    if (state == null) {
                        throw new IllegalStateException("case " + r.caseNo() + " has no workflow state");
                    }
                    int year = r.at().atZoneSameInstant(hub.businessZone()).getYear();
                    issued = Optional.of(issue(c, state, r, archive.nextDocumentNo(r.type(), year)));
                }
                outbox.markSent(entry.id());
                if (entry.caseId() != null) {
                    // the hand-offs that attach it (or wait behind it) go out after this commit
                    outbox.releaseMailsAwaitingDocuments(entry.caseId());
                }
                return issued;
            });
        } catch (RuntimeException e) {
            failures.failed(entry, entry.headers().getOrDefault("type", "document") + " of case " + entry.groupKey(), e);
            return Optional.empty();
        }
    }

    private Request readRequest(OutboxEntry entry) {
        try {
            return json.readValue(entry.payload(), Request.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable document request " + entry.messageId(), e);
        }
    }

    /**
     * A corrected document: the latest issued document of {@code type} is rendered again from the case as it is
     * now, archived as the next version under the same document number and mailed; earlier versions stay.
     *
     * @throws IllegalArgumentException when the case is unknown or never had that document
     */
    public ArchivedDocument regenerate(String caseNo, DocumentType type, String reason) {
        if (type == DocumentType.ASSET_TRANSFER_AGREEMENT) {
            throw new IllegalArgumentException("the asset transfer agreement is part of the CONTRACT: regenerate that");
        }
        return tx.execute(status -> {
            CaseRecord c = cases.lockByCaseNo(caseNo)
                    .orElseThrow(() -> new IllegalArgumentException("case " + caseNo + " is not known to the hub"));
            ArchivedDocument previous = archive.latest(caseNo, type)
                    .orElseThrow(() -> new IllegalArgumentException("case " + caseNo + " has no " + type + " to regenerate"));
            CaseState state = states.read(c.stateJson());
            if (state == null) {
                throw new IllegalArgumentException("case " + caseNo + " has no workflow state");
            }
            return issue(c, state, OffsetDateTime.now(clock), type, previous.round(), previous.version() + 1,
                    previous.documentNo(), reason == null ? "regenerated" : reason);
        });
    }

    /** A requested document, with the data as it was at the transition (its time, stage, round, state, missing materials). */
    private ArchivedDocument issue(CaseRecord c, CaseState state, Request r, String documentNo) {
        DocumentData d = data.build(r.type(), c, state, documentNo, r.at(), r.round());
        if (r.type() == DocumentType.MATERIALS_NOTICE) {
            d = d.withMissingMaterials(r.missingMaterials());
        }
        return issue(c, r.stage(), d, OffsetDateTime.now(clock), r.type(), r.round(), 1, documentNo, null);
    }

    private ArchivedDocument issue(CaseRecord c, CaseState state, OffsetDateTime now, DocumentType type, int round,
                                   int version, String documentNo, String reason) {
        return issue(c, state.stage(), data.build(type, c, state, documentNo, now, round), now, type, round, version,
                documentNo, reason);
    }

    private ArchivedDocument issue(CaseRecord c, Stage stage, DocumentData d, OffsetDateTime now, DocumentType type,
                                   int round, int version, String documentNo, String reason) {
        long start = System.nanoTime();
        byte[] rendered = type == DocumentType.CONTRACT && d.scheme().assetTransfer() ? contractWithAgreement(d) : renderer.render(type, d);
        byte[] pdf = seal.seal(rendered, documentNo);
        int pages = pageCount(pdf);
        String fileName = CustomerMails.fileName(c.caseNo(), type);
        ArchivedDocument archived = archive.store(new DocumentArchive.NewDocument(c.id(), c.caseNo(), type, round, version,
                documentNo, fileName, pages, reason), pdf, now);
        cases.appendTimeline(c.id(), now, "SYSTEM", "DOCUMENT_ISSUED", stage,
                "出具《" + type.title() + "》" + documentNo + (version > 1 ? " 第" + version + "版" : "")
                        + " (" + type + ", " + pages + " pages, sha256 " + archived.sha256().substring(0, 12) + ")",
                reason);
        mail(c, type, documentNo, archived, now);
        log.info("Case {}: {} {} v{} issued ({} bytes, {} pages, {} ms)", c.caseNo(), type, documentNo, version, pdf.length,
                pages, (System.nanoTime() - start) / 1_000_000);
        return archived;
    }

    private void mail(CaseRecord c, DocumentType type, String documentNo, ArchivedDocument archived, OffsetDateTime now) {
        if (!hub.documents().mailCustomers()) {
            return;
        }
        String to = c.customer().email();
        if (to == null || to.isBlank()) {
            cases.appendTimeline(c.id(), now, "SYSTEM", "DOCUMENT_NOT_MAILED", null,
                    "客户无电子邮箱，《" + type.title() + "》" + documentNo + " 未能邮寄 (no customer e-mail address)", null);
            return;
        }
        outbox.add(c.id(), Outbox.MAIL, UUID.randomUUID().toString(), c.caseNo(),
                Map.of("to", to, "kind", "CUSTOMER_DOCUMENT", "subject", CustomerMails.subject(c.caseNo(), type)),
                mails.payload(to, c.customer().name(), c.caseNo(), archived, now));
    }

    /**
     * The contract and its asset transfer agreement, rendered apart and merged in memory (contract pages first). The
     * merged file keeps the contract's document information and language: {@link PDFMergerUtility} starts from an empty
     * document and takes them from the first source.
     */
    private byte[] contractWithAgreement(DocumentData d) {
        return merged(d.caseNo(), renderer.render(DocumentType.CONTRACT, d),
                renderer.render(DocumentType.ASSET_TRANSFER_AGREEMENT, d));
    }

    /** {@code contract} then {@code agreement}, one PDF/A-3b file (the output intent and XMP are the contract's). */
    static byte[] merged(String caseNo, byte[] contract, byte[] agreement) {
        PDFMergerUtility merger = new PDFMergerUtility();
        merger.addSource(new RandomAccessReadBuffer(contract));
        merger.addSource(new RandomAccessReadBuffer(agreement));
        ByteArrayOutputStream out = new ByteArrayOutputStream(contract.length + agreement.length);
        merger.setDestinationStream(out);
        try {
            // both parts are already in memory; the merged document's scratch buffers stay within the same bound
            merger.mergeDocuments(MemoryUsageSetting.setupMainMemoryOnly(MERGE_MEMORY_BYTES).streamCache);
        } catch (IOException e) {
            throw new DocumentRenderingException("cannot merge the contract of case " + caseNo, e);
        }
        return out.toByteArray();
    }

    private static int pageCount(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return doc.getNumberOfPages();
        } catch (IOException e) {
            throw new DocumentRenderingException("rendered document is not a readable PDF", e);
        }
    }
}
