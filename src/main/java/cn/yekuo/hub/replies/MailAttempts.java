package cn.yekuo.hub.replies;

import java.time.OffsetDateTime;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The failed attempts at handling each mail (poison mail) and the forged-token alerts already raised: rows of the
 * case store, so both survive a restart.
 */
@Repository
public class MailAttempts {

    private final JdbcTemplate jdbc;

    public MailAttempts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts one more failed attempt at the mail; returns how many there have been. Runs in its own transaction. */
    public int recordFailure(String mailKey, String error, OffsetDateTime at) {
        String cut = error == null || error.length() <= 2000 ? error : error.substring(0, 2000);
        // one reply reader per hub: the insert races only with another hub, whose duplicate then counts once more
        int updated = jdbc.update("update unit_mail_attempt set attempts = attempts + 1, last_error = ?, updated_at = ? "
                + "where mail_key = ?", cut, at, mailKey);
        if (updated == 0) {
            jdbc.update("insert into unit_mail_attempt (mail_key, attempts, last_error, updated_at) values (?, 1, ?, ?)",
                    mailKey, cut, at);
        }
        return jdbc.queryForObject("select attempts from unit_mail_attempt where mail_key = ?", Integer.class, mailKey);
    }

    public void forget(String mailKey) {
        jdbc.update("delete from unit_mail_attempt where mail_key = ?", mailKey);
    }

    /** Mails from the sender quarantined for a forged token (or several tokens) received since {@code since}. */
    public int forgeriesSince(String sender, OffsetDateTime since) {
        return jdbc.queryForObject("""
                select count(*) from unit_mail where sender = ? and received_at > ? and outcome = 'QUARANTINED'
                  and (reasons like '%"FORGED_TOKEN"%' or reasons like '%"SEVERAL_TOKENS"%')""",
                Integer.class, sender, since);
    }

    public boolean alertedSince(String sender, OffsetDateTime since) {
        return jdbc.queryForObject("select count(*) from unit_mail_alert where sender = ? and alerted_at > ?",
                Integer.class, sender, since) > 0;
    }

    public void recordAlert(String sender, OffsetDateTime at, int mailCount) {
        jdbc.update("insert into unit_mail_alert (sender, alerted_at, mail_count) values (?, ?, ?)", sender, at, mailCount);
    }
}
