package cn.yekuo.hub.handoff;

import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.quarantine.ReplyReleases;
import cn.yekuo.hub.replies.ReceivedMails;
import cn.yekuo.hub.replies.UnitReplies;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.documents.ArchivedDocument;
import cn.yekuo.hub.documents.CustomerMails;
import cn.yekuo.hub.documents.DocumentArchive;
import cn.yekuo.hub.documents.RequestedDocuments;
import cn.yekuo.hub.outbox.OutboxEntry;
import cn.yekuo.hub.rendering.DocumentType;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.process.CaseTasks;

/**
 * The documents a hand-off carries (docs/contract.md §2 "relevant documents are attached as PDF"): the supply-scheme
 * reply for everything that builds on the scheme, the design files for the design review, the failed acceptance
 * opinion for a rectification after acceptance, the contract for energization. Referenced by id, never read here:
 * the mail relay reads the bytes when it sends the hand-off (issue 15).
 */
@Component
public class HandoffAttachments {

    /** Keeps a hand-off well under the 25 MB a reply may have: later files are listed, not attached. */
    static final long MAX_TOTAL_BYTES = 20L * 1024 * 1024;

    private final DocumentArchive archive;
    private final RequestedDocuments requests;
    private final ReceivedMails received;
    private final CaseTasks tasks;

    public HandoffAttachments(DocumentArchive archive, RequestedDocuments requests, ReceivedMails received, CaseTasks tasks) {
        this.requests = requests;
        this.archive = archive;
        this.received = received;
        this.tasks = tasks;
    }

    public List<OutgoingMail.Attachment> forTask(CaseRecord c, TaskKind kind) {
        List<OutgoingMail.Attachment> files = new ArrayList<>();
        switch (kind) {
            case DESIGN, CONSTRUCTION, MID_INSPECTION, COMPLETION_ACCEPTANCE, COMPLETION_ACCEPTANCE_MARKETING ->
                    document(c, DocumentType.SCHEME_REPLY, files);
            case DESIGN_REVIEW -> {
                document(c, DocumentType.SCHEME_REPLY, files);
                designFiles(c, files);
            }
            case RECTIFICATION -> document(c, DocumentType.ACCEPTANCE_OPINION, files);
            case ENERGIZATION, ENERGIZATION_PRODUCTION, ENERGIZATION_MARKETING, ENERGIZATION_CONSTRUCTION ->
                    document(c, DocumentType.CONTRACT, files);
            default -> {
                // the scheme tasks start from the application itself
            }
        }
        return files;
    }

    /**
     * The document the transition requested when one is still to be issued (the issuer makes it after commit: the mail
     * waits for it), else the latest archived one.
     */
    private void document(CaseRecord c, DocumentType type, List<OutgoingMail.Attachment> files) {
        Optional<ArchivedDocument> latest = archive.latest(c.caseNo(), type);
        Optional<OutboxEntry> requested = requests.pending(c.id(), type);
        if (requested.isPresent()) {
            // not rendered yet: sized as the previous round, else nothing (a document is a few hundred KiB at most)
            add(files, new OutgoingMail.Attachment(OutgoingMail.Source.REQUESTED_DOCUMENT, requested.get().id(),
                    CustomerMails.fileName(c.caseNo(), type), "application/pdf", latest.map(ArchivedDocument::size).orElse(0L)));
            return;
        }
        latest.ifPresent((ArchivedDocument d) -> add(files,
                new OutgoingMail.Attachment(OutgoingMail.Source.DOCUMENT, d.id(), d.fileName(), "application/pdf", d.size())));
    }

    /**
     * The files construction sent with its latest accepted DESIGN reply. The reply being applied has its files kept
     * before the workflow runs, in the same transaction (UnitReplies, ReplyReleases), so they are found here too.
     */
    private void designFiles(CaseRecord c, List<OutgoingMail.Attachment> files) {
        Integer designTask = tasks.lastDoneDesign(c.id()).orElse(null);
        if (designTask == null) {
            return;
        }
        for (ReceivedMails.StoredAttachment a : received.attachmentsOfTask(c.id(), designTask)) {
            add(files, new OutgoingMail.Attachment(OutgoingMail.Source.REPLY_ATTACHMENT, a.id(), a.fileName(),
                    a.contentType(), a.size()));
        }
    }

    private static void add(List<OutgoingMail.Attachment> files, OutgoingMail.Attachment file) {
        long total = files.stream().mapToLong(OutgoingMail.Attachment::size).sum();
        if (total + file.size() <= MAX_TOTAL_BYTES) {
            files.add(file);
        }
    }
}
