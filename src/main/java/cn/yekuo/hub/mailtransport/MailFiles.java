package cn.yekuo.hub.mailtransport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import cn.yekuo.hub.files.StoredFiles;

/**
 * Files made only to be attached to a mail (monthly plans and reports): kept once under
 * {@code mail/outgoing/} in the file store ({@link StoredFiles}) by their SHA-256 and referenced from the outbox by id (issue 15).
 */
@Repository
public class MailFiles implements AttachmentSource {

    private final JdbcTemplate jdbc;
    private final StoredFiles files;
    private final Clock clock;

    public MailFiles(JdbcTemplate jdbc, StoredFiles files, Clock clock) {
        this.jdbc = jdbc;
        this.files = files;
        this.clock = clock;
    }

    /**
     * Writes the bytes (content-addressed: on disk a rolled-back transaction leaves at most a file nobody refers to; in
     * the database store the file goes with the transaction).
     */
    public OutgoingMail.Attachment store(MailAttachment file) {
        byte[] content = file.content();
        String sha = HexFormat.of().formatHex(FileDigests.sha256().digest(content));
        String relative = "mail/outgoing/" + sha.substring(0, 2) + "/" + sha;
        if (!files.exists(relative)) {
            files.write(relative, content);
        }
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("""
                    insert into mail_file (file_name, content_type, size_bytes, sha256, path, created_at)
                    values (?, ?, ?, ?, ?, ?)""", new String[] {"id"});
            ps.setString(1, file.fileName());
            ps.setString(2, file.contentType());
            ps.setLong(3, content.length);
            ps.setString(4, sha);
            ps.setString(5, relative);
            ps.setObject(6, OffsetDateTime.now(clock));
            return ps;
        }, key);
        return new OutgoingMail.Attachment(OutgoingMail.Source.MAIL_FILE, key.getKey().longValue(), file.fileName(),
                file.contentType(), content.length);
    }

    /** The stored bytes, checked against their SHA-256. */
    @Override
    public OutgoingMail.Source source() {
        return OutgoingMail.Source.MAIL_FILE;
    }

    @Override
    public byte[] read(long id) {
        var row = jdbc.queryForMap("select sha256, path from mail_file where id = ?", id);
        String path = (String) row.get("path");
        try {
            return FileDigests.checked(files.read(path), (String) row.get("sha256"), path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
