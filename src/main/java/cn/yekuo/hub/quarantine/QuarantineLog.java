package cn.yekuo.hub.quarantine;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The audit of the quarantine queue ({@code quarantine_log}, issue 21): one row per action a representative carried
 * out on a quarantined mail (release, attach, discard), with the user, when, the case and the reason or note. Written
 * in the action's transaction: an action that was refused or rolled back leaves no row.
 */
@Repository
public class QuarantineLog {

    public static final String RELEASE = "RELEASE";
    public static final String ATTACH = "ATTACH";
    public static final String DISCARD = "DISCARD";

    private final JdbcTemplate jdbc;

    public QuarantineLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One audit entry. */
    public record Entry(long id, long mailId, String action, String user, OffsetDateTime at, String caseNo, String reason,
                        String result) {
    }

    public void record(long mailId, String action, String user, OffsetDateTime at, String caseNo, String reason,
                       String result) {
        jdbc.update("""
                insert into quarantine_log (mail_id, action, user_name, acted_at, case_no, reason, result)
                values (?, ?, ?, ?, ?, ?, ?)""", mailId, action, user, at, caseNo, reason, result);
    }

    public List<Entry> ofMail(long mailId) {
        return jdbc.query("""
                select id, mail_id, action, user_name, acted_at, case_no, reason, result from quarantine_log
                where mail_id = ? order by id""",
                (rs, i) -> new Entry(rs.getLong("id"), rs.getLong("mail_id"), rs.getString("action"),
                        rs.getString("user_name"), rs.getObject("acted_at", OffsetDateTime.class), rs.getString("case_no"),
                        rs.getString("reason"), rs.getString("result")), mailId);
    }

    /** "rep at 2026-12-06T…Z" for a conflict's answer: who settled the mail. */
    public Optional<String> lastAction(long mailId) {
        List<Entry> all = ofMail(mailId);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Entry last = all.get(all.size() - 1);
        return Optional.of(last.user() + " at " + last.at().toInstant());
    }
}
