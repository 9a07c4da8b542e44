package cn.yekuo.hub.documents;

import cn.yekuo.hub.mailtransport.AttachmentSource;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.rendering.DocumentType;
import java.util.Comparator;
import java.util.Optional;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.outbox.OutboxEntry;

/**
 * A customer document attached before it is issued: a hand-off made by the transition that requested the document
 * refers to the request ({@link OutgoingMail.Source#REQUESTED_DOCUMENT}), and its bytes are the archived document of
 * that request's round, read when the mail is sent (the relay holds the mail until then).
 */
@Component
public class RequestedDocuments implements AttachmentSource {

    private final Outbox outbox;
    private final DocumentArchive archive;

    public RequestedDocuments(Outbox outbox, DocumentArchive archive) {
        this.outbox = outbox;
        this.archive = archive;
    }

    /** The pending request of {@code type} of the case, to attach its document: empty when none waits. */
    public Optional<OutboxEntry> pending(long caseId, DocumentType type) {
        return outbox.latestPending(caseId, Outbox.DOCUMENT, CustomerDocuments.DOCUMENT_REQUEST + caseId + ":" + type.name() + ":");
    }

    @Override
    public OutgoingMail.Source source() {
        return OutgoingMail.Source.REQUESTED_DOCUMENT;
    }

    /**
     * @throws DocumentArchiveException when the request is unknown or its document was not issued (the request was set
     *         aside): the mail fails like one whose file cannot be read, and is retried, then dead-lettered visibly
     */
    @Override
    public byte[] read(long requestId) {
        return archive.read(issued(requestId));
    }

    /** The archived document of the request: its case, type and round, latest version. */
    ArchivedDocument issued(long requestId) {
        OutboxEntry request = outbox.find(requestId)
                .orElseThrow(() -> new DocumentArchiveException("no document request " + requestId));
        // document:<caseId>:<type>:<round>
        String[] parts = request.messageId().substring(CustomerDocuments.DOCUMENT_REQUEST.length()).split(":");
        DocumentType type = DocumentType.valueOf(parts[1]);
        int round = Integer.parseInt(parts[2]);
        return archive.list(request.groupKey()).stream()
                .filter(d -> d.type() == type && d.round() == round)
                .max(Comparator.comparingInt(ArchivedDocument::version))
                .orElseThrow(() -> new DocumentArchiveException("the " + type + " of request " + request.messageId()
                        + " is not issued"));
    }
}
