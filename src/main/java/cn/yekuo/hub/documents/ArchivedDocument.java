package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.DocumentType;
import java.time.OffsetDateTime;

/**
 * A document as archived with its case: what it is, which version, where its bytes are and their SHA-256.
 *
 * @param round    the n-th document of this type in the case (acceptance opinions: the acceptance round)
 * @param version  1 when first issued; a regenerated document gets the next version, the old one stays
 * @param fileName the attachment name {@code <caseNo>-<title>.pdf}
 * @param path     where the bytes are, relative to {@code <data-dir>/documents}
 */
public record ArchivedDocument(long id, long caseId, String caseNo, DocumentType type, int round, int version,
                               String documentNo, String title, String fileName, String path, String sha256,
                               long size, int pages, OffsetDateTime createdAt, String reason) {
}
