package cn.yekuo.hub.documents;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The documents of a case as the API and dashboard show them. Implemented by the documents feature (issue 5,
 * its archive table); until a bean of this type exists the hub shows no documents.
 */
public interface CaseDocuments {

    List<DocumentSummary> ofCase(String caseNo);

    /** The stored file, only if it belongs to that case. */
    Optional<DocumentFile> open(String caseNo, long documentId);

    record DocumentSummary(long id, String kind, String title, String fileName, OffsetDateTime createdAt, String sentTo,
                           OffsetDateTime sentAt) {
    }

    record DocumentFile(String fileName, String contentType, byte[] content) {
    }
}
