package cn.yekuo.hub.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * "Nothing else happened", proven instead of slept on: every message the hub has to send leaves through its outbox, so
 * once no row of a case is pending (each is sent or given up), whatever that case's changes caused has reached its
 * receiver (the broker, the SMTP server), and a test can assert on what is there.
 */
public final class Outboxes {

    private Outboxes() {
    }

    /** Rows of the case still to be delivered: neither sent nor dead-lettered. */
    public static int pending(JdbcTemplate jdbc, String caseNo) {
        Integer n = jdbc.queryForObject("select count(*) from outbox o join yk_case c on c.id = o.case_id "
                + "where c.case_no = ? and o.sent_at is null and o.dead_at is null", Integer.class, caseNo);
        return n == null ? 0 : n;
    }

    /** Rows of a channel (every case, and rows of no case such as notices) still to be delivered. */
    public static int pendingOnChannel(JdbcTemplate jdbc, String channel) {
        Integer n = jdbc.queryForObject("select count(*) from outbox where channel = ? and sent_at is null and dead_at is null",
                Integer.class, channel);
        return n == null ? 0 : n;
    }

    /** Waits until every outbox row of the case is delivered (or given up). */
    public static void awaitNothingPending(JdbcTemplate jdbc, String caseNo, Duration wait) {
        await("outbox of " + caseNo + " delivered").atMost(wait).until(() -> pending(jdbc, caseNo) == 0);
    }

    /** Waits until every outbox row of the channel is delivered (or given up), whichever case wrote it. */
    public static void awaitChannelDelivered(JdbcTemplate jdbc, String channel, Duration wait) {
        await("outbox channel " + channel + " delivered").atMost(wait).until(() -> pendingOnChannel(jdbc, channel) == 0);
    }

    /** Document requests of the case still to be issued (neither issued nor set aside). */
    public static int documentsPending(JdbcTemplate jdbc, String caseNo) {
        Integer n = jdbc.queryForObject("select count(*) from outbox o join yk_case c on c.id = o.case_id "
                + "where c.case_no = ? and o.channel = 'document' and o.sent_at is null and o.dead_at is null",
                Integer.class, caseNo);
        return n == null ? 0 : n;
    }

    /**
     * Waits until every document the case's changes requested is issued (or set aside): documents are issued by the
     * {@code document-issuer} after the change commits, so a test awaits them instead of expecting them at once.
     */
    public static void awaitDocumentsIssued(JdbcTemplate jdbc, String caseNo, Duration wait) {
        await("documents of " + caseNo + " issued").atMost(wait).until(() -> documentsPending(jdbc, caseNo) == 0);
    }
}
