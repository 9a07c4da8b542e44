package cn.yekuo.hub.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code yk.files.store=database} on the table of V9_1_1: what is written is read back byte for byte, a rolled-back
 * transaction leaves no file, a path is replaced rather than kept twice. H2 here; the PostgreSQL subclass runs the same.
 */
class DatabaseStoredFilesTest {

    JdbcTemplate jdbc;
    TransactionTemplate tx;
    DatabaseStoredFiles files;

    /** A fresh database with the migration's table. */
    DataSource dataSource() {
        return new DriverManagerDataSource("jdbc:h2:mem:stored-files-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    @BeforeEach
    void table() throws Exception {
        DataSource ds = dataSource();
        jdbc = new JdbcTemplate(ds);
        String ddl = new String(getClass().getResourceAsStream("/db/migration/V9_1_1__stored_file.sql").readAllBytes(),
                StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
        jdbc.execute("drop table if exists stored_file");
        jdbc.execute(ddl);
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        files = new DatabaseStoredFiles(jdbc, Clock.systemUTC());
    }

    @Test
    void written_bytes_and_a_kept_local_file_are_read_back_whole() throws Exception {
        byte[] pdf = new byte[3 * 1024 * 1024 + 17];
        new Random(16).nextBytes(pdf);
        StoredFiles.Stored stored = tx.execute(s -> files.write("documents/YK-1/a.pdf", pdf));
        assertThat(stored.size()).isEqualTo(pdf.length);
        assertThat(stored.sha256()).isEqualTo(Digests.sha256Hex(pdf));
        assertThat(files.read("documents/YK-1/a.pdf")).isEqualTo(pdf);
        assertThat(jdbc.queryForObject("select sha256 from stored_file where path = ?", String.class, "documents/YK-1/a.pdf"))
                .isEqualTo(stored.sha256());

        Path local = Files.createTempFile(tempDir, "mail", ".eml");
        Files.write(local, pdf);
        tx.executeWithoutResult(s -> files.keep("mail/raw/ab/abc.eml", local, new StoredFiles.Stored(pdf.length, Digests.sha256Hex(pdf))));
        assertThat(files.read("mail/raw/ab/abc.eml")).isEqualTo(pdf);
        assertThat(local).as("left to the caller").exists();
        assertThat(files.localPath("mail/raw/ab/abc.eml")).isEmpty();
        assertThat(files.transactional()).isTrue();
    }

    @TempDir
    Path tempDir;

    @Test
    void a_rolled_back_transaction_leaves_no_file() {
        tx.executeWithoutResult(s -> {
            files.write("mail/attachments/YK-2/k/1-a.pdf", new byte[] {1, 2, 3});
            assertThat(files.exists("mail/attachments/YK-2/k/1-a.pdf")).isTrue();
            s.setRollbackOnly();
        });
        assertThat(files.exists("mail/attachments/YK-2/k/1-a.pdf")).isFalse();
        assertThatThrownBy(() -> files.read("mail/attachments/YK-2/k/1-a.pdf")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void a_path_written_again_is_replaced_and_a_deleted_one_is_gone() throws Exception {
        tx.executeWithoutResult(s -> files.write("mail/raw/cd/x.eml", "one".getBytes(StandardCharsets.UTF_8)));
        tx.executeWithoutResult(s -> files.write("mail/raw/cd/x.eml", "two".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(files.read("mail/raw/cd/x.eml"), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThat(jdbc.queryForObject("select count(*) from stored_file", Integer.class)).isEqualTo(1);
        files.delete("mail/raw/cd/x.eml");
        assertThat(files.exists("mail/raw/cd/x.eml")).isFalse();
    }

    @Test
    void a_path_that_climbs_out_is_refused() {
        assertThatThrownBy(() -> files.write("documents/../../etc/passwd", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> files.write("/etc/passwd", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }
}
