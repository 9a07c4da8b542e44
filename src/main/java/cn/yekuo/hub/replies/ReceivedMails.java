package cn.yekuo.hub.replies;

import cn.yekuo.hub.mailtransport.AttachmentSource;
import cn.yekuo.hub.mailtransport.FileDigests;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.mailtransport.MailAttachment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.files.StoredFiles;

/**
 * Mails read from the hub's mailbox: one row per mail (by the hash of its Message-ID) with what became of it, the
 * raw message and accepted replies' attachments in the file store ({@link StoredFiles}) under {@code mail/}. A mail is
 * first copied to a temporary file under {@code <data-dir>/mail/incoming} (this node's own), then kept in the store.
 */
@Repository
public class ReceivedMails implements AttachmentSource {

    private final JdbcTemplate jdbc;
    private final Path dataDir;
    private final StoredFiles files;

    public ReceivedMails(JdbcTemplate jdbc, HubProperties hub, StoredFiles files) {
        this.jdbc = jdbc;
        this.dataDir = hub.dataDirAbsolute();
        this.files = files;
    }

    /** A mail already handled: where it went. */
    public record Handled(long id, String outcome, String folder, String caseNo, Integer taskNo) {
    }

    /** The raw bytes of a mail, written to a temporary file with their SHA-256. */
    public record RawCopy(Path file, String sha256, long size) {
    }

    public Optional<Handled> find(String mailKey) {
        return jdbc.query("select id, outcome, folder, case_no, task_no from unit_mail where mail_key = ?",
                (rs, i) -> new Handled(rs.getLong("id"), rs.getString("outcome"), rs.getString("folder"),
                        rs.getString("case_no"), (Integer) rs.getObject("task_no", Integer.class)), mailKey)
                .stream().findFirst();
    }

    /** A mail's row as a release reads it: what became of it, where its raw copy is kept and its SHA-256. */
    public record KeptMail(long id, String mailKey, String messageId, String caseNo, String outcome, String rawPath,
                       String rawSha256) {
    }

    /** The mail's row, locked until the transaction ends (two representatives releasing one mail go one after the other). */
    public Optional<KeptMail> lock(long id) {
        return jdbc.query("""
                select id, mail_key, message_id, case_no, outcome, raw_path, raw_sha256 from unit_mail where id = ? for update""",
                (rs, i) -> new KeptMail(rs.getLong("id"), rs.getString("mail_key"), rs.getString("message_id"),
                        rs.getString("case_no"), rs.getString("outcome"), rs.getString("raw_path"), rs.getString("raw_sha256")),
                id).stream().findFirst();
    }

    /** What became of a mail after all (a quarantined reply released), and the task it answered. */
    public void outcome(long id, String outcome, int taskNo) {
        jdbc.update("update unit_mail set outcome = ?, task_no = ? where id = ?", outcome, taskNo, id);
    }

    /** The mail was moved on the IMAP server to {@code folder}. */
    public void movedTo(long id, String folder) {
        jdbc.update("update unit_mail set folder = ? where id = ?", folder, id);
    }

    public interface Writer {
        void writeTo(OutputStream out) throws Exception;
    }

    /** Streams the mail to a temporary file under the data directory (no size limit in memory). */
    public RawCopy copyRaw(Writer writer) {
        try {
            Path dir = Files.createDirectories(dataDir.resolve("mail/incoming"));
            Path temp = Files.createTempFile(dir, "mail", ".eml");
            MessageDigest digest = FileDigests.sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                writer.writeTo(out);
            } catch (Exception e) {
                Files.deleteIfExists(temp);
                throw new IllegalStateException("cannot copy the mail from the server: " + e.getMessage(), e);
            }
            return new RawCopy(temp, HexFormat.of().formatHex(digest.digest()), Files.size(temp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Keeps the raw copy at {@code mail/raw/ab/<key>.eml} in the file store (on disk: moved there; in the database:
     * copied, the temporary file stays until {@link #discard}); returns that path.
     */
    public String keepRaw(RawCopy copy, String mailKey) {
        String relative = rawPathOf(mailKey);
        files.keep(relative, copy.file(), new StoredFiles.Stored(copy.size(), copy.sha256()));
        return relative;
    }

    /** A local file with the raw mail to parse: the temporary copy while it is there, else the kept file on disk. */
    public Path parseable(RawCopy copy, String rawPath) {
        if (Files.exists(copy.file())) {
            return copy.file();
        }
        return files.localPath(rawPath).orElseThrow(() -> new IllegalStateException("no local copy of " + rawPath));
    }

    /** The kept raw mail's bytes, not checked (the caller checks them against {@code unit_mail.raw_sha256}). */
    public byte[] readRaw(String rawPath) throws IOException {
        return files.read(rawPath);
    }

    /** The kept raw mail as a file on this node's disk, when the file store is the disk. */
    public java.util.Optional<Path> rawOnDisk(String rawPath) {
        return files.localPath(rawPath);
    }

    /** Where {@link #keepRaw} keeps a mail, relative to the data directory. */
    public static String rawPathOf(String mailKey) {
        return "mail/raw/" + mailKey.substring(0, 2) + "/" + mailKey + ".eml";
    }

    public void discard(RawCopy copy) {
        try {
            Files.deleteIfExists(copy.file());
        } catch (IOException e) {
            // a stray temporary file is harmless
        }
    }

    public long insert(String mailKey, String messageId, Long caseId, String caseNo, Integer taskNo, String sender,
                       String subject, OffsetDateTime receivedAt, String outcome, String folder, String reasons,
                       String rawPath, RawCopy raw) {
        Object[] values = {mailKey, cut(messageId, 2000), caseId, caseNo, taskNo, cut(sender, 320), cut(subject, 2000),
                receivedAt, outcome, folder, cut(reasons, 8000), rawPath, raw.sha256(), raw.size()};
        // the new row's id from the insert itself, not from a second query
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement ps = connection.prepareStatement("""
                    insert into unit_mail (mail_key, message_id, case_id, case_no, task_no, sender, subject, received_at,
                        outcome, folder, reasons, raw_path, raw_sha256, raw_size)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"});
            new ArgumentPreparedStatementSetter(values).setValues(ps);
            return ps;
        }, key);
        return key.getKey().longValue();
    }

    /** Keeps an accepted reply's attachment with the case: {@code mail/attachments/<caseNo>/<key>/<n>-<name>}. */
    public void keepAttachment(long mailId, long caseId, String caseNo, String mailKey, int index, MailAttachment attachment) {
        String name = index + "-" + safeFileName(attachment.fileName());
        String relative = "mail/attachments/" + caseNo + "/" + mailKey.substring(0, 16) + "/" + name;
        byte[] content = attachment.content();
        StoredFiles.Stored stored = files.write(relative, content);
        jdbc.update("""
                insert into mail_attachment (mail_id, case_id, file_name, content_type, size_bytes, sha256, path)
                values (?, ?, ?, ?, ?, ?, ?)""",
                mailId, caseId, cut(attachment.fileName(), 500), cut(attachment.contentType(), 200), stored.size(),
                stored.sha256(), relative);
    }

    /** A kept attachment; {@code path} is its path in the file store. */
    public record StoredAttachment(long id, String fileName, String contentType, long size, String sha256, String path) {
    }

    public List<StoredAttachment> attachmentsOf(long caseId) {
        return jdbc.query("select id, file_name, content_type, size_bytes, sha256, path from mail_attachment where case_id = ? order by id",
                this::attachment, caseId);
    }

    /** The files kept with the accepted (or released) reply to one task of a case. */
    public List<StoredAttachment> attachmentsOfTask(long caseId, int taskNo) {
        return jdbc.query("""
                select a.id, a.file_name, a.content_type, a.size_bytes, a.sha256, a.path
                from mail_attachment a join unit_mail m on m.id = a.mail_id
                where a.case_id = ? and m.task_no = ? and m.outcome <> 'QUARANTINED' order by a.id""",
                this::attachment, caseId, taskNo);
    }

    /** A kept attachment's bytes, checked against their SHA-256 (for the mail relay: hand-offs refer to them by id). */
    @Override
    public OutgoingMail.Source source() {
        return OutgoingMail.Source.REPLY_ATTACHMENT;
    }

    @Override
    public byte[] read(long id) {
        return readAttachment(id);
    }

    public byte[] readAttachment(long id) {
        StoredAttachment a = jdbc.query("select id, file_name, content_type, size_bytes, sha256, path from mail_attachment where id = ?",
                this::attachment, id).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no kept mail attachment " + id));
        try {
            return FileDigests.checked(files.read(a.path()), a.sha256(), a.path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + a.path(), e);
        }
    }

    /**
     * Takes back a reply recorded as processed in this transaction when the workflow refused it after all: its
     * attachment rows and files and its row go, so that it can be recorded as quarantined instead.
     */
    public void withdraw(long mailId) {
        for (String path : jdbc.queryForList("select path from mail_attachment where mail_id = ?", String.class, mailId)) {
            try {
                files.delete(path);
            } catch (RuntimeException e) {
                // a stray file nobody refers to is harmless
            }
        }
        jdbc.update("delete from mail_attachment where mail_id = ?", mailId);
        jdbc.update("delete from unit_mail where id = ?", mailId);
    }


    private StoredAttachment attachment(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new StoredAttachment(rs.getLong("id"), rs.getString("file_name"), rs.getString("content_type"),
                rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("path"));
    }

    /** Linux allows 255 bytes per file name; this leaves room for the index prefix and a temp-file suffix. */
    static final int MAX_FILE_NAME_BYTES = 150;

    /**
     * A name safe to store: no path or control characters, and at most {@link #MAX_FILE_NAME_BYTES} UTF-8 bytes,
     * keeping its end (the extension) and never cutting a character in half. The full name stays in the database.
     */
    static String safeFileName(String name) {
        String cleaned = name.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").replaceAll("^\\.+", "_").strip();
        if (cleaned.isEmpty()) {
            cleaned = "attachment";
        }
        int start = cleaned.length();
        int bytes = 0;
        while (start > 0) {
            int cp = cleaned.codePointBefore(start);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_FILE_NAME_BYTES) {
                break;
            }
            bytes += size;
            start -= Character.charCount(cp);
        }
        return cleaned.substring(start);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
