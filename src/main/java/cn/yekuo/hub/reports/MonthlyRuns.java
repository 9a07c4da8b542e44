package cn.yekuo.hub.reports;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Which monthly job has produced which month ({@code monthly_run}), under the job lock {@code monthly}: a second hub,
 * a Quartz misfire, a catch-up at start and a manual rerun all wait for the lock and then find the month produced.
 */
@Repository
public class MonthlyRuns {

    public static final String PLANS = "RETURN_VISIT_PLANS";
    public static final String SUMMARY = "RETURN_VISIT_SUMMARY";
    public static final String ASSESSMENT = "ASSESSMENT";

    private final JdbcTemplate jdbc;

    public MonthlyRuns(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A produced month: when, when last mailed and how many times it was mailed. */
    public record Run(String job, YearMonth month, OffsetDateTime producedAt, OffsetDateTime mailedAt, int mailings) {
    }

    /** Serialises the monthly jobs across the cluster; call inside the job's transaction. */
    public void lock() {
        jdbc.queryForObject("select name from job_lock where name = 'monthly' for update", String.class);
    }

    public Optional<Run> find(String job, YearMonth month) {
        return jdbc.query("select produced_at, mailed_at, mailings from monthly_run where job = ? and report_month = ?",
                (rs, i) -> new Run(job, month, rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class),
                        rs.getInt(3)), job, month.toString()).stream().findFirst();
    }

    /** Records the month as produced and mailed (first time) or mailed once more (resend); returns the mailing number. */
    public int recordMailing(String job, YearMonth month, OffsetDateTime now, String sha256) {
        Optional<Run> run = find(job, month);
        if (run.isEmpty()) {
            jdbc.update("insert into monthly_run (job, report_month, produced_at, mailed_at, mailings, content_sha256) values (?, ?, ?, ?, 1, ?)",
                    job, month.toString(), now, now, sha256);
            return 1;
        }
        jdbc.update("update monthly_run set mailed_at = ?, mailings = mailings + 1, content_sha256 = ? where job = ? and report_month = ?",
                now, sha256, job, month.toString());
        return run.get().mailings() + 1;
    }

    /** Outbox id of the n-th mailing: the first keeps the plain id, a resend gets a suffix. */
    public static String outboxId(String base, int mailing) {
        return mailing <= 1 ? base : base + "-r" + mailing;
    }
}
