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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @org.springframework.beans.factory.annotation.Autowired
    public DocumentArchive(JdbcTemplate jdbc, DataSource dataSource, HubProperties hub, StoredFiles files) {
        this(jdbc, dataSource, hub.dataDirAbsolute(), files);
    }

    /** For tests: the archive on a database and file store of their own. */
    DocumentArchive(JdbcTemplate jdbc, DataSource dataSource, Path dataDir, StoredFiles files) {
        this.jdbc = jdbc;
        this.files = files;
        this.root = dataDir.resolve("documents");
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

    /**
     * Writes the bytes and the row, chained to the case's previous document ({@link DocumentChain}); in a transaction, a
     * rollback removes the file again. Takes the case's row lock (already held inside a transition) so that the case's
     * documents are chained one after the other, on any node.
     */
    public ArchivedDocument store(NewDocument d, byte[] pdf, OffsetDateTime issuedAt) {
        OffsetDateTime now = DocumentChain.stored(issuedAt);
        jdbc.queryForList("select id from yk_case where id = ? for update", Long.class, d.caseId());
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
        List<Map<String, Object>> head = jdbc.queryForList(
                "select head_sha256, documents from case_document_chain where case_id = ?", d.caseId());
        String previous = head.isEmpty() ? DocumentChain.GENESIS : (String) head.get(0).get("head_sha256");
        int seq = head.isEmpty() ? 1 : ((Number) head.get(0).get("documents")).intValue() + 1;
        String chain = DocumentChain.next(previous, new DocumentChain.Link(seq, d.caseNo(), d.type().name(), d.documentNo(),
                d.round(), d.version(), relative, sha, pdf.length, now));
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("""
                    insert into case_document (case_id, type, round, version, document_no, title, file_name, path, sha256,
                        size_bytes, pages, created_at, reason, chain_seq, chain_sha256)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"});
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
            ps.setInt(14, seq);
            ps.setString(15, chain);
            return ps;
        }, key);
        long id = key.getKey().longValue();
        if (head.isEmpty()) {
            jdbc.update("insert into case_document_chain (case_id, head_sha256, documents) values (?, ?, ?)", d.caseId(), chain, seq);
        } else {
            jdbc.update("update case_document_chain set head_sha256 = ?, documents = ? where case_id = ?", chain, seq, d.caseId());
        }
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

    /** The number of the case's first document of {@code type} (every version keeps it), empty when none was issued. */
    public Optional<String> documentNumber(long caseId, DocumentType type) {
        return jdbc.query("select document_no from case_document where case_id = ? and type = ? order by id",
                (rs, i) -> rs.getString(1), caseId, type.name()).stream().findFirst();
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

    /** What {@link #verify} found: the case's documents in the order archived, each checked. */
    public record Verification(String caseNo, boolean verified, List<Check> documents, Chain chain) {

        /** One document: its file against the recorded SHA-256, its row against the chain. */
        public record Check(long id, String type, String documentNo, int version, String sha256, boolean ok, String problem) {
        }

        /** The case's head: the last link and how many documents the chain has. */
        public record Chain(String head, int documents, boolean ok, String problem) {
        }
    }

    /**
     * Recomputes the SHA-256 of each file of the case from the store and the hash chain from the rows: a changed or
     * missing file, a changed, removed or reordered row and removed last documents each make {@code verified} false,
     * with the problem named on the document (or on the chain for documents removed at the end).
     *
     * @return empty when the case is unknown
     */
    public Optional<Verification> verify(String caseNo) {
        List<Long> caseIds = jdbc.queryForList("select id from yk_case where case_no = ?", Long.class, caseNo);
        if (caseIds.isEmpty()) {
            return Optional.empty();
        }
        long caseId = caseIds.get(0);
        List<Map<String, Object>> head = jdbc.queryForList(
                "select head_sha256, documents from case_document_chain where case_id = ?", caseId);
        List<Verification.Check> checks = new ArrayList<>();
        String previous = DocumentChain.GENESIS;
        int expectedSeq = 1;
        boolean verified = true;
        for (Map<String, Object> row : jdbc.queryForList("""
                select id, type, document_no, round, version, path, sha256, size_bytes, created_at, chain_seq, chain_sha256
                from case_document where case_id = ? order by id""", caseId)) {
            long id = ((Number) row.get("id")).longValue();
            String type = (String) row.get("type");
            String recorded = (String) row.get("sha256");
            String path = (String) row.get("path");
            List<String> problems = new ArrayList<>();
            fileProblem(path, recorded).ifPresent(problems::add);
            Integer seq = row.get("chain_seq") == null ? null : ((Number) row.get("chain_seq")).intValue();
            String chain = (String) row.get("chain_sha256");
            if (seq == null || chain == null) {
                problems.add("not in the hash chain (no chain_seq/chain_sha256)");
            } else {
                if (seq != expectedSeq) {
                    problems.add(seq > expectedSeq
                            ? "document(s) " + expectedSeq + (seq - 1 > expectedSeq ? "–" + (seq - 1) : "") + " of the chain before it are missing (it is " + seq + ")"
                            : "out of order: it is document " + seq + " of the chain, found as document " + expectedSeq);
                }
                OffsetDateTime createdAt = jdbc.queryForObject("select created_at from case_document where id = ?",
                        OffsetDateTime.class, id);
                String expected = DocumentChain.next(previous, new DocumentChain.Link(seq, caseNo, type,
                        (String) row.get("document_no"), ((Number) row.get("round")).intValue(),
                        ((Number) row.get("version")).intValue(), path, recorded, ((Number) row.get("size_bytes")).longValue(),
                        createdAt));
                if (!expected.equals(chain)) {
                    problems.add("hash chain broken: the row or the one before it was changed, removed or reordered");
                }
                previous = chain;
                expectedSeq = seq + 1;
            }
            boolean ok = problems.isEmpty();
            verified &= ok;
            checks.add(new Verification.Check(id, type, (String) row.get("document_no"), ((Number) row.get("version")).intValue(),
                    recorded, ok, ok ? null : String.join("; ", problems)));
        }
        Verification.Chain chain;
        if (head.isEmpty()) {
            boolean ok = checks.isEmpty();
            chain = new Verification.Chain(null, 0, ok, ok ? null : "the case has documents but no chain head");
        } else {
            String headSha = (String) head.get(0).get("head_sha256");
            int documents = ((Number) head.get(0).get("documents")).intValue();
            String problem = null;
            if (documents > expectedSeq - 1) {
                problem = "document(s) " + expectedSeq + (documents > expectedSeq ? "–" + documents : "") + " of " + documents
                        + " are missing from the archive (removed after the last one listed)";
            } else if (!headSha.equals(previous)) {
                problem = "the chain head does not match the last document";
            }
            chain = new Verification.Chain(headSha, documents, problem == null, problem);
        }
        verified &= chain.ok();
        return Optional.of(new Verification(caseNo, verified, checks, chain));
    }

    private Optional<String> fileProblem(String path, String recorded) {
        if (("/" + path + "/").contains("/../") || path.startsWith("/")) {
            return Optional.of("archived path outside the archive: " + path);
        }
        byte[] bytes;
        try {
            bytes = files.read(ROOT + path);
        } catch (NoSuchFileException e) {
            return Optional.of("file missing from the store: " + ROOT + path);
        } catch (IOException e) {
            return Optional.of("file unreadable: " + e.getClass().getSimpleName());
        }
        String sha = sha256(bytes);
        return sha.equals(recorded) ? Optional.empty()
                : Optional.of("file changed: SHA-256 " + sha + ", recorded " + recorded);
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
