package cn.yekuo.hub.deadletters;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The audit of the dead-letter queue ({@code dead_letter_log}): one row per replay or discard carried out. */
@Repository
public class DeadLetterLog {

    public static final String REPLAY = "REPLAY";
    public static final String DISCARD = "DISCARD";

    private static final RowMapper<Entry> ENTRY = (rs, i) -> new Entry(rs.getLong("id"), rs.getString("jms_id"),
            rs.getString("action"), rs.getString("user_name"), rs.getObject("acted_at", OffsetDateTime.class),
            rs.getString("queue"), rs.getString("error_code"), rs.getString("message_id"), rs.getString("application_no"),
            rs.getString("case_no"), rs.getString("reason"), rs.getString("result"));

    private final JdbcTemplate jdbc;

    public DeadLetterLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One audit entry. */
    public record Entry(long id, String jmsId, String action, String user, OffsetDateTime at, String queue,
                        String errorCode, String messageId, String applicationNo, String caseNo, String reason,
                        String result) {
    }

    long record(DeadLetter letter, String action, String user, OffsetDateTime at, String reason, String result) {
        jdbc.update("""
                insert into dead_letter_log (jms_id, action, user_name, acted_at, queue, error_code, message_id,
                                             application_no, reason, result)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", letter.id(), action, user, at, letter.queue(),
                letter.errorCode(), letter.messageId(), letter.applicationNo(), reason, result);
        return jdbc.queryForObject("select max(id) from dead_letter_log where jms_id = ?", Long.class, letter.id());
    }

    /** A retried outbox entry: {@code queue} holds its channel. */
    void recordOutbox(String ref, String action, String user, OffsetDateTime at, String channel, String messageId,
                      String caseNo, String reason, String result) {
        jdbc.update("""
                insert into dead_letter_log (jms_id, action, user_name, acted_at, queue, message_id, case_no, reason, result)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", ref, action, user, at, channel, messageId, caseNo, reason,
                result.length() > 2000 ? result.substring(0, 2000) : result);
    }

    void result(long entryId, String result) {
        jdbc.update("update dead_letter_log set result = ? where id = ?", result, entryId);
    }

    public List<Entry> ofLetter(String jmsId) {
        return jdbc.query("""
                select id, jms_id, action, user_name, acted_at, queue, error_code, message_id, application_no, case_no, reason, result
                from dead_letter_log where jms_id = ? order by id""", ENTRY, jmsId);
    }

    /** The latest actions, newest first: what left the queue, by whom and why. */
    public List<Entry> latest(int limit) {
        return jdbc.query("""
                select id, jms_id, action, user_name, acted_at, queue, error_code, message_id, application_no, case_no, reason, result
                from dead_letter_log order by id desc""", ps -> ps.setMaxRows(limit), ENTRY);
    }
}
