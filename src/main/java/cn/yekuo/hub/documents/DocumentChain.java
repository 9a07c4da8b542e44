package cn.yekuo.hub.documents;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The hash chain of a case's archived documents (docs/contract.md §3 "Archive integrity"): each {@code case_document}
 * row carries its position in the case ({@code chain_seq}, 1, 2, …, in the order archived) and
 * {@code chain_sha256 = SHA-256(previous row's chain_sha256 ‖ this row's position, case, type, number, round, version,
 * path, SHA-256 of the file, size, archiving time)}, the first row's previous chain being {@link #GENESIS}; the case's
 * head (last chain value and number of documents) is kept in {@code case_document_chain}. A file changed or removed
 * in the store, a row changed, removed or moved, and the last documents removed each break a link that
 * {@link DocumentArchive#verify} recomputes.
 *
 * <p>One chain per case, not one for the hub: archiving already runs under the case's row lock (a transition, or the
 * lock {@link DocumentArchive#store} takes), so the order is the case's own and no node waits for another case's
 * documents; a global chain would serialise every document of every node through one row.
 */
public final class DocumentChain {

    /** The previous chain value of a case's first document. */
    public static final String GENESIS = "0".repeat(64);

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private DocumentChain() {
    }

    /** What a link covers besides the previous link: the row as archived. */
    public record Link(int seq, String caseNo, String type, String documentNo, int round, int version, String path,
                       String sha256, long size, OffsetDateTime createdAt) {
    }

    /** The chain value of {@code link} after {@code previous} (64 hex digits). */
    public static String next(String previous, Link link) {
        String text = String.join("\n", previous, Integer.toString(link.seq()), link.caseNo(), link.type(),
                link.documentNo(), Integer.toString(link.round()), Integer.toString(link.version()), link.path(),
                link.sha256(), Long.toString(link.size()), time(link.createdAt()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The archiving time as the database keeps it: microseconds (the caller stores it truncated so). */
    public static OffsetDateTime stored(OffsetDateTime t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    private static String time(OffsetDateTime t) {
        return AT.format(t.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
    }
}
