package cn.yekuo.hub.queries;

import cn.yekuo.hub.quarantine.QuarantineQueue;
import cn.yekuo.hub.quarantine.ReplyReleases;
import cn.yekuo.hub.replies.UnitReplies;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;


/** The web feature's view of a case's mails: hand-offs and notices out (outbox), replies in (unit_mail). */
@Component
public class StoreCaseMails implements CaseMails {

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    public StoreCaseMails(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<MailSummary> ofCase(String caseNo) {
        List<MailSummary> all = new ArrayList<>();
        all.addAll(jdbc.query("""
                select m.id, m.received_at, m.sender, m.subject, m.task_no, m.outcome, m.reasons
                from unit_mail m where m.case_no = ? order by m.id""",
                (rs, i) -> new MailSummary(rs.getLong("id"), "IN", rs.getObject("received_at", OffsetDateTime.class),
                        rs.getString("sender"), rs.getString("subject"),
                        rs.getObject("task_no") == null ? null : "T" + rs.getInt("task_no"),
                        status(rs.getString("outcome")),
                        rs.getString("reasons")), caseNo));
        all.addAll(jdbc.query("""
                select o.id, o.created_at, o.sent_at, o.dead_at, o.last_error, o.headers, o.message_id from outbox o join yk_case c on c.id = o.case_id
                where c.case_no = ? and o.channel = 'mail' order by o.id""",
                (rs, i) -> {
                    Map<String, String> headers = headers(rs.getString("headers"));
                    OffsetDateTime sent = rs.getObject("sent_at", OffsetDateTime.class);
                    return new MailSummary(rs.getLong("id"), "OUT", sent != null ? sent : rs.getObject("created_at", OffsetDateTime.class),
                            headers.get("to"), headers.getOrDefault("subject", rs.getString("message_id")), headers.get("task"),
                            sent != null ? "SENT" : rs.getObject("dead_at") != null ? "DEAD" : "PENDING",
                            rs.getObject("dead_at") != null ? headers.get("kind") + ": " + rs.getString("last_error") : headers.get("kind"));
                }, caseNo));
        all.sort(Comparator.comparing(MailSummary::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return all;
    }

    @Override
    public int quarantinedCount() {
        Integer n = jdbc.queryForObject("select count(*) from unit_mail where outcome = 'QUARANTINED'", Integer.class);
        return n == null ? 0 : n;
    }

    /**
     * ACCEPTED (taken by the workflow), RELEASED (quarantined, then released by a representative), ATTACHED (taken out of
     * quarantine as correspondence of the case), DISCARDED (taken out of quarantine and discarded) or QUARANTINED.
     */
    static String status(String outcome) {
        if (UnitReplies.PROCESSED.equals(outcome)) {
            return "ACCEPTED";
        }
        if (QuarantineQueue.ATTACHED.equals(outcome) || QuarantineQueue.DISCARDED.equals(outcome)) {
            return outcome;
        }
        return ReplyReleases.RELEASED.equals(outcome) ? "RELEASED" : "QUARANTINED";
    }

    private Map<String, String> headers(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, HEADERS);
        } catch (Exception e) {
            return Map.of();
        }
    }
}
