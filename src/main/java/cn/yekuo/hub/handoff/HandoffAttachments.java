package cn.yekuo.hub.handoff;

import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.quarantine.ReplyReleases;
import cn.yekuo.hub.replies.ReceivedMails;
import cn.yekuo.hub.replies.UnitReplies;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.documents.ArchivedDocument;
import cn.yekuo.hub.documents.DocumentArchive;
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
    private final ReceivedMails received;
    private final CaseTasks tasks;

    public HandoffAttachments(DocumentArchive archive, ReceivedMails received, CaseTasks tasks) {
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

    private void document(CaseRecord c, DocumentType type, List<OutgoingMail.Attachment> files) {
        archive.latest(c.caseNo(), type).ifPresent((ArchivedDocument d) -> add(files,
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
