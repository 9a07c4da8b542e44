package cn.yekuo.hub.documents;

import cn.yekuo.hub.mailtransport.AttachmentSource;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.rendering.DocumentType;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import cn.yekuo.hub.config.SqlDialect;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.files.StoredFiles;

/**
 * The customer documents of each case: bytes in the file store ({@link StoredFiles}) under {@code documents/<caseNo>/}, one
 * {@code case_document} row each with the path and the SHA-256. Rows and files are only ever added; reading
 * verifies the hash, so what is returned is byte-identical to what was issued (and mailed).
 *
 * <p>{@link #store} is meant to run inside the transaction of the transition that issues the document: the row
 * commits or rolls back with it, and a rolled-back transaction also takes back the file it wrote.
 */
@Repository
public class DocumentArchive implements AttachmentSource {

    private static final Logger log = LoggerFactory.getLogger(DocumentArchive.class);

    /** Where the documents are in the file store; {@code case_document.path} is relative to it. */
    private static final String ROOT = "documents/";

    private final JdbcTemplate jdbc;
    private final StoredFiles files;
    private final Path root;
    private final String nextNumberSql;

    public DocumentArchive(JdbcTemplate jdbc, DataSource dataSource, HubProperties hub, StoredFiles files) {
        this.jdbc = jdbc;
        this.files = files;
        this.root = hub.dataDirAbsolute().resolve("documents");
        this.nextNumberSql = SqlDialect.of(dataSource).nextValue("document_no_seq");
    }

    /** {@code <prefix>-<year>-<6 digits>} from the one document sequence (unique across types and nodes). */
    public String nextDocumentNo(DocumentType type, int year) {
        Long n = jdbc.queryForObject(nextNumberSql, Long.class);
        return type.documentNumber(year, n);
    }

    /** What a new archive entry is. */
    public record NewDocument(long caseId, String caseNo, DocumentType type, int round, int version, String documentNo,
                              String fileName, int pages, String reason) {
    }

    /** Writes the bytes and the row; in a transaction, a rollback removes the file again. */
    public ArchivedDocument store(NewDocument d, byte[] pdf, OffsetDateTime now) {
        String relative = safe(d.caseNo()) + "/" + safe(d.documentNo()) + "-r" + d.round() + "-v" + d.version() + ".pdf";
        String file = ROOT + relative;
        String sha = files.write(file, pdf).sha256();
        if (!files.transactional() && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        deleteQuietly(file);
                    }
                }
            });
        }
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("""
                    insert into case_document (case_id, type, round, version, document_no, title, file_name, path, sha256,
                        size_bytes, pages, created_at, reason)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"});
            ps.setLong(1, d.caseId());
            ps.setString(2, d.type().name());
            ps.setInt(3, d.round());
            ps.setInt(4, d.version());
            ps.setString(5, d.documentNo());
            ps.setString(6, d.type().title());
            ps.setString(7, d.fileName());
            ps.setString(8, relative);
            ps.setString(9, sha);
            ps.setLong(10, pdf.length);
            ps.setInt(11, d.pages());
            ps.setObject(12, now);
            ps.setString(13, d.reason());
            return ps;
        }, key);
        long id = key.getKey().longValue();
        return new ArchivedDocument(id, d.caseId(), d.caseNo(), d.type(), d.round(), d.version(), d.documentNo(),
                d.type().title(), d.fileName(), relative, sha, pdf.length, d.pages(), now, d.reason());
    }

    /** Every document of the case, every version, in the order issued. */
    public List<ArchivedDocument> list(String caseNo) {
        return jdbc.query(SELECT + " where c.case_no = ? order by d.id", DocumentArchive::map, caseNo);
    }

    public Optional<ArchivedDocument> find(long id) {
        return jdbc.query(SELECT + " where d.id = ?", DocumentArchive::map, id).stream().findFirst();
    }

    /** The latest version of the latest round of a type in the case. */
    public Optional<ArchivedDocument> latest(String caseNo, DocumentType type) {
        return jdbc.query(SELECT + " where c.case_no = ? and d.type = ? order by d.round desc, d.version desc",
                DocumentArchive::map, caseNo, type.name()).stream().findFirst();
    }

    /** When the case's supply-scheme replies were archived, in the order archived (the contract is dated by the first). */
    public List<OffsetDateTime> schemeReplyIssuedAt(long caseId) {
        return jdbc.query(
                "select created_at from case_document where case_id = ? and type = 'SCHEME_REPLY' order by id",
                (rs, i) -> rs.getObject(1, OffsetDateTime.class), caseId);
    }

    /** How many documents of the type the case has had issued (rounds), 0 if none. */
    public int rounds(long caseId, DocumentType type) {
        Integer n = jdbc.queryForObject("select coalesce(max(round), 0) from case_document where case_id = ? and type = ?",
                Integer.class, caseId, type.name());
        return n == null ? 0 : n;
    }

    /**
     * The archived bytes, verified against the SHA-256 recorded when the document was issued.
     *
     * @throws DocumentArchiveException when the id is unknown, the file is gone or its bytes changed
     */
    @Override
    public OutgoingMail.Source source() {
        return OutgoingMail.Source.DOCUMENT;
    }

    @Override
    public byte[] read(long id) {
        return open(id);
    }

    public byte[] open(long id) {
        ArchivedDocument d = find(id).orElseThrow(() -> new DocumentArchiveException("no archived document " + id));
        return read(d);
    }

    public byte[] read(ArchivedDocument d) {
        String file = ROOT + d.path();
        if (("/" + d.path() + "/").contains("/../") || d.path().startsWith("/")) {
            throw new DocumentArchiveException("archived path outside the archive: " + d.path());
        }
        byte[] bytes;
        try {
            bytes = files.read(file);
        } catch (NoSuchFileException e) {
            throw new DocumentArchiveException("archived document " + d.id() + " (" + d.documentNo() + ") is missing: " + file, e);
        } catch (IOException e) {
            throw new DocumentArchiveException("archived document " + d.id() + " is unreadable: " + file, e);
        }
        String sha = sha256(bytes);
        if (!sha.equals(d.sha256())) {
            throw new DocumentArchiveException("archived document " + d.id() + " (" + d.documentNo() + ") changed: SHA-256 "
                    + sha + ", recorded " + d.sha256() + " (" + file + ")");
        }
        return bytes;
    }

    /** Where the documents are when the file store is the disk (yk.files.store=disk). */
    public Path root() {
        return root;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String SELECT = """
            select d.id, d.case_id, c.case_no, d.type, d.round, d.version, d.document_no, d.title, d.file_name, d.path,
                   d.sha256, d.size_bytes, d.pages, d.created_at, d.reason
            from case_document d join yk_case c on c.id = d.case_id""";

    private static ArchivedDocument map(ResultSet rs, int row) throws SQLException {
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        return new ArchivedDocument(rs.getLong("id"), rs.getLong("case_id"), rs.getString("case_no"),
                DocumentType.valueOf(rs.getString("type")), rs.getInt("round"), rs.getInt("version"),
                rs.getString("document_no"), rs.getString("title"), rs.getString("file_name"), rs.getString("path"),
                rs.getString("sha256"), rs.getLong("size_bytes"), rs.getInt("pages"),
                created == null ? null : created.withOffsetSameInstant(ZoneOffset.UTC), rs.getString("reason"));
    }

    /** Case and document numbers are [A-Z0-9-]; anything else never reaches a path. */
    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void deleteQuietly(String file) {
        try {
            files.delete(file);
            log.info("Transaction rolled back: removed document {}", file);
        } catch (RuntimeException e) {
            log.warn("Transaction rolled back but {} could not be removed: {}", file, e.toString());
        }
    }
}
