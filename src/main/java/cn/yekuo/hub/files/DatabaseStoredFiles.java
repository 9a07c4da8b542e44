package cn.yekuo.hub.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@code yk.files.store=database}: every file is a row of {@code stored_file} (bytes in a BYTEA column), written in the
 * caller's transaction, so every hub node on the database sees it and a rolled-back transaction leaves no file behind.
 * Writes stream the bytes to the driver with their length; a read holds the file once in memory (the callers want
 * its bytes: mails are at most {@code yk.mail.max-mail-bytes}).
 */
@Repository
@ConditionalOnProperty(name = "yk.files.store", havingValue = "database")
public class DatabaseStoredFiles implements StoredFiles {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DatabaseStoredFiles(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        LoggerFactory.getLogger(DatabaseStoredFiles.class).info(
                "File store: the database (table stored_file, yk.files.store=database), seen by every hub node");
    }

    @Override
    public Stored write(String path, byte[] content) {
        Stored stored = new Stored(content.length, Digests.sha256Hex(content));
        insert(path, stored, () -> new java.io.ByteArrayInputStream(content));
        return stored;
    }

    @Override
    public void keep(String path, Path local, Stored measured) {
        insert(path, measured, () -> Files.newInputStream(local));
    }

    private interface Content {
        InputStream open() throws IOException;
    }

    private void insert(String path, Stored stored, Content content) {
        check(path);
        // replaced, not kept twice: a mail read again after a rolled-back attempt keeps its raw copy anew
        jdbc.update("delete from stored_file where path = ?", path);
        try (InputStream in = content.open()) {
            jdbc.update("insert into stored_file (path, content, size_bytes, sha256, stored_at) values (?, ?, ?, ?, ?)",
                    ps -> {
                        ps.setString(1, path);
                        ps.setBinaryStream(2, in, stored.size());
                        ps.setLong(3, stored.size());
                        ps.setString(4, stored.sha256());
                        ps.setObject(5, OffsetDateTime.now(clock));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + path + ": " + e, e);
        }
    }

    @Override
    public byte[] read(String path) throws IOException {
        byte[] bytes = jdbc.query("select content from stored_file where path = ?", rs -> {
            if (!rs.next()) {
                return null;
            }
            try (InputStream in = rs.getBinaryStream(1)) {
                return in == null ? new byte[0] : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, path);
        if (bytes == null) {
            throw new NoSuchFileException("stored_file " + path);
        }
        return bytes;
    }

    @Override
    public boolean exists(String path) {
        Integer n = jdbc.queryForObject("select count(*) from stored_file where path = ?", Integer.class, path);
        return n != null && n > 0;
    }

    @Override
    public void delete(String path) {
        jdbc.update("delete from stored_file where path = ?", path);
    }

    @Override
    public Optional<Path> localPath(String path) {
        return Optional.empty();
    }

    @Override
    public boolean transactional() {
        return true;
    }

    /** The same paths as on disk: relative, no way up (a store moved between the two kinds keeps its names). */
    private static void check(String path) {
        if (path.isBlank() || path.startsWith("/") || path.contains("\\") || ("/" + path + "/").contains("/../")) {
            throw new IllegalArgumentException("not a stored path: " + path);
        }
    }
}
