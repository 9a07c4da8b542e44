package cn.yekuo.hub.quarantine;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import cn.yekuo.hub.replies.UnitReplies;

/**
 * The quarantine queue's view of {@code unit_mail} (the rows the reply reader writes): the mails still quarantined,
 * newest first, and where a representative's action settles one (its outcome, the case it now belongs to).
 */
@Repository
public class QuarantinedMails {

    private final JdbcTemplate jdbc;

    public QuarantinedMails(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A quarantined mail's row; {@code reasons} is the JSON the reader wrote ([{code, zh, en}]). */
    public record Row(long id, String messageId, Long caseId, String caseNo, Integer taskNo, String sender, String subject,
                      OffsetDateTime receivedAt, String outcome, String folder, String reasons, String rawPath,
                      String rawSha256, long rawSize) {
    }

    private static final String COLUMNS = """
            select id, message_id, case_id, case_no, task_no, sender, subject, received_at, outcome, folder, reasons,
                raw_path, raw_sha256, raw_size from unit_mail""";

    public int count() {
        Integer n = jdbc.queryForObject("select count(*) from unit_mail where outcome = ?", Integer.class,
                UnitReplies.QUARANTINED);
        return n == null ? 0 : n;
    }

    /** The newest {@code limit} mails still in quarantine. */
    public List<Row> newest(int limit) {
        return jdbc.query(COLUMNS + " where outcome = ? order by received_at desc, id desc fetch first " + limit + " rows only",
                this::row, UnitReplies.QUARANTINED);
    }

    public Optional<Row> find(long id) {
        return jdbc.query(COLUMNS + " where id = ?", this::row, id).stream().findFirst();
    }

    /** The row, locked until the transaction ends: two representatives acting on one mail go one after the other. */
    public Optional<Row> lock(long id) {
        return jdbc.query(COLUMNS + " where id = ? for update", this::row, id).stream().findFirst();
    }

    /** The mail leaves the queue: ATTACHED to a case (its case from now on) or DISCARDED. */
    public void settle(long id, String outcome, Long caseId, String caseNo, Integer taskNo) {
        jdbc.update("update unit_mail set outcome = ?, case_id = ?, case_no = ?, task_no = ? where id = ?",
                outcome, caseId, caseNo, taskNo, id);
    }

    public void movedTo(long id, String folder) {
        jdbc.update("update unit_mail set folder = ? where id = ?", folder, id);
    }

    private Row row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Row(rs.getLong("id"), rs.getString("message_id"), (Long) rs.getObject("case_id", Long.class),
                rs.getString("case_no"), (Integer) rs.getObject("task_no", Integer.class), rs.getString("sender"),
                rs.getString("subject"), rs.getObject("received_at", OffsetDateTime.class), rs.getString("outcome"),
                rs.getString("folder"), rs.getString("reasons"), rs.getString("raw_path"), rs.getString("raw_sha256"),
                rs.getLong("raw_size"));
    }
}
