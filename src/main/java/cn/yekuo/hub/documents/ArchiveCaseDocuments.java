package cn.yekuo.hub.documents;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;


/**
 * The archive as the API and the dashboard show it (the web's {@link CaseDocuments} port): every document of a
 * case in the order issued, and its PDF, byte-identical to what was issued and mailed (hash verified on read).
 * When each mail left is the outbox's business, not recorded per document, so {@code sentTo}/{@code sentAt} stay empty.
 */
@Component
public class ArchiveCaseDocuments implements CaseDocuments {

    private final DocumentArchive archive;

    public ArchiveCaseDocuments(DocumentArchive archive) {
        this.archive = archive;
    }

    @Override
    public List<DocumentSummary> ofCase(String caseNo) {
        return archive.list(caseNo).stream()
                .map(d -> new DocumentSummary(d.id(), d.type().name(), d.title(), d.fileName(), d.createdAt(), null, null))
                .toList();
    }

    @Override
    public Optional<DocumentFile> open(String caseNo, long documentId) {
        return archive.find(documentId)
                .filter(d -> d.caseNo().equals(caseNo))
                .map(d -> new DocumentFile(d.fileName(), "application/pdf", archive.read(d)));
    }
}
