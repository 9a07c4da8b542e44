package cn.yekuo.hub.documents;

import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import cn.yekuo.hub.files.DatabaseStoredFiles;
import cn.yekuo.hub.rendering.DocumentType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive's hash chain on the database file store (yk.files.store=database): V21_6_2 chains the documents archived
 * before it, new documents join the chain, and verify finds a changed or removed file, a changed or removed row and
 * removed last documents, naming the document. H2 here; the PostgreSQL subclass runs the same.
 */
class DocumentChainTest {

    static final String CASE_NO = "YK-2026-000901";

    JdbcTemplate jdbc;
    DatabaseStoredFiles files;
    DocumentArchive archive;
    long caseId;

    DataSource dataSource() {
        return new DriverManagerDataSource("jdbc:h2:mem:chain-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /** A database as it was before V21_6_1 with three archived documents, then migrated. */
    @BeforeEach
    void archiveWithThreeDocumentsFromBeforeTheChain() {
        DataSource ds = dataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").cleanDisabled(false).load().clean();
        // the last migration before the chain (another issue's migrations may come between)
        org.flywaydb.core.api.MigrationVersion chain = org.flywaydb.core.api.MigrationVersion.fromVersion("21.6.1");
        org.flywaydb.core.api.MigrationVersion before = java.util.Arrays.stream(
                        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().info().all())
                .map(org.flywaydb.core.api.MigrationInfo::getVersion).filter(v -> v.compareTo(chain) < 0)
                .max(java.util.Comparator.naturalOrder()).orElseThrow();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target(before).load().migrate();
        jdbc = new JdbcTemplate(ds);
        files = new DatabaseStoredFiles(jdbc, Clock.systemUTC());
        OffsetDateTime t = OffsetDateTime.of(2026, 11, 2, 9, 30, 0, 123_456_000, ZoneOffset.UTC);
        jdbc.update("""
                insert into yk_case (case_no, application_no, service_type, stage, customer_name, site_address, supply_station,
                    supply_voltage_kv, transformer_kva, existing_kva, power_sources, materials, submitted_at, created_at, updated_at)
                values (?, 'APP-901', 'NEW_INSTALL', 'SCHEME', '杭州东郊新材料有限公司', '杭州市东郊工业园区8号', 'DJ', 10, 800, 0, 1, '', ?, ?, ?)""",
                CASE_NO, t, t, t);
        caseId = jdbc.queryForObject("select id from yk_case where case_no = ?", Long.class, CASE_NO);
        old(DocumentType.CONTACT_CARD, "LXK-2026-000001", "card", t);
        old(DocumentType.SCHEME_REPLY, "FADF-2026-000002", "reply v1", t.plusMinutes(5));
        old(DocumentType.SCHEME_REPLY, "FADF-2026-000002", "reply v2", t.plusMinutes(9));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        archive = new DocumentArchive(jdbc, ds, Path.of("unused"), files);
    }

    /** A document archived as the hub did before the chain existed (no chain columns). */
    private void old(DocumentType type, String documentNo, String content, OffsetDateTime at) {
        int version = jdbc.queryForObject("select count(*) from case_document where document_no = ?", Integer.class, documentNo) + 1;
        String path = CASE_NO + "/" + documentNo + "-r1-v" + version + ".pdf";
        String sha = files.write("documents/" + path, content.getBytes()).sha256();
        jdbc.update("""
                insert into case_document (case_id, type, round, version, document_no, title, file_name, path, sha256,
                    size_bytes, pages, created_at)
                values (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 1, ?)""",
                caseId, type.name(), version, documentNo, type.title(), CASE_NO + ".pdf", path, sha, content.getBytes().length, at);
    }

    @Test
    void theMigrationChainsTheDocumentsArchivedBeforeItAndNewDocumentsJoinTheChain() {
        assertThat(jdbc.queryForList("select chain_seq from case_document where case_id = ? order by id", Integer.class, caseId))
                .containsExactly(1, 2, 3);
        assertOk(archive.verify(CASE_NO).orElseThrow(), 3);

        ArchivedDocument fourth = archive.store(new DocumentArchive.NewDocument(caseId, CASE_NO, DocumentType.ACCEPTANCE_OPINION,
                1, 1, "YSYJ-2026-000003", CASE_NO + ".pdf", 1, null), "opinion".getBytes(), OffsetDateTime.now());

        DocumentArchive.Verification v = archive.verify(CASE_NO).orElseThrow();
        assertOk(v, 4);
        assertThat(v.documents().get(3).id()).isEqualTo(fourth.id());
        assertThat(v.chain().head()).isEqualTo(jdbc.queryForObject(
                "select chain_sha256 from case_document where id = ?", String.class, fourth.id()));
        assertThat(archive.verify("YK-2026-999999")).isEmpty();
    }

    @Test
    void aChangedFileInTheStoreIsNamed() {
        long reply = id(2);
        String path = "documents/" + jdbc.queryForObject("select path from case_document where id = ?", String.class, reply);
        jdbc.update("update stored_file set content = ? where path = ?", "forged reply".getBytes(), path);

        DocumentArchive.Verification v = archive.verify(CASE_NO).orElseThrow();

        assertThat(v.verified()).isFalse();
        assertThat(failed(v)).containsExactly(reply);
        assertThat(v.documents().get(1).problem()).startsWith("file changed: SHA-256 ");
    }

    @Test
    void aFileRemovedFromTheStoreIsNamed() {
        long card = id(1);
        jdbc.update("delete from stored_file where path = (select 'documents/' || path from case_document where id = ?)", card);

        DocumentArchive.Verification v = archive.verify(CASE_NO).orElseThrow();

        assertThat(v.verified()).isFalse();
        assertThat(failed(v)).containsExactly(card);
        assertThat(v.documents().get(0).problem()).startsWith("file missing from the store");
    }

    @Test
    void aRowChangedInTheDatabaseBreaksItsLink() {
        // the row now points at another, intact file with its hash: only the chain can tell
        long v2 = id(3);
        jdbc.update("""
                update case_document set path = (select path from case_document where id = ?),
                    sha256 = (select sha256 from case_document where id = ?), size_bytes = (select size_bytes from case_document where id = ?)
                where id = ?""", id(2), id(2), id(2), v2);

        DocumentArchive.Verification v = archive.verify(CASE_NO).orElseThrow();

        assertThat(v.verified()).isFalse();
        assertThat(failed(v)).containsExactly(v2);
        assertThat(v.documents().get(2).problem()).contains("hash chain broken");
    }

    @Test
    void aRemovedRowIsFoundAtTheDocumentAfterIt() {
        long card = id(1);
        long reply = id(2);
        jdbc.update("delete from case_document where id = ?", card);

        DocumentArchive.Verification v = archive.verify(CASE_NO).orElseThrow();

        assertThat(v.verified()).isFalse();
        assertThat(failed(v)).containsExactly(reply);
        assertThat(v.documents().get(0).problem()).contains("document(s) 1 of the chain before it are missing");
    }

    @Test
    void reorderedRowsAreFound() {
        long reply = id(2);
        long v2 = id(3);
        jdbc.update("update case_document set chain_seq = 5 - chain_seq where id in (?, ?)", reply, v2);

        DocumentArchive.Verification v = archive.verify(CASE_NO).orElseThrow();

        assertThat(v.verified()).isFalse();
        assertThat(failed(v)).contains(reply, v2);
    }

    @Test
    void theLastDocumentRemovedIsFoundAtTheChainsHead() {
        jdbc.update("delete from case_document where id = ?", id(3));

        DocumentArchive.Verification v = archive.verify(CASE_NO).orElseThrow();

        assertThat(v.verified()).isFalse();
        assertThat(failed(v)).isEmpty();
        assertThat(v.chain().ok()).isFalse();
        assertThat(v.chain().problem()).contains("document(s) 3 of 3 are missing");
    }

    private long id(int seq) {
        return jdbc.queryForObject("select id from case_document where case_id = ? and chain_seq = ?", Long.class, caseId, seq);
    }

    private static List<Long> failed(DocumentArchive.Verification v) {
        return v.documents().stream().filter(d -> !d.ok()).map(DocumentArchive.Verification.Check::id).toList();
    }

    private static void assertOk(DocumentArchive.Verification v, int documents) {
        assertThat(v.documents()).hasSize(documents).allSatisfy(d -> assertThat(d.ok()).as(d.problem()).isTrue());
        assertThat(v.chain().ok()).as(v.chain().problem()).isTrue();
        assertThat(v.chain().documents()).isEqualTo(documents);
        assertThat(v.verified()).isTrue();
    }
}
