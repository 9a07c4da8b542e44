package cn.yekuo.hub.deadlines;

import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.tokens.HandoffToken;
import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.REP;
import static cn.yekuo.hub.replies.MailFixtures.REPS;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.Outboxes;
import cn.yekuo.hub.support.TestPorts;
import cn.yekuo.hub.queries.CaseMails;

/** Deadline notices become mails to the units owing an answer and to the case's representative, once each. */
@HubTest
class DeadlineMailsTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DeadlineMails deadlineMails;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    HandoffToken tokens;
    @Autowired
    CaseMails caseMails;

    @Test
    void a_missed_scheme_deadline_is_mailed_to_production_marketing_and_the_case_s_representative_once() throws Exception {
        String caseNo;
        try (BillingClient billing = new BillingClient(TestPorts.BROKER_URL)) {
            caseNo = MailFixtures.newCase(billing, jdbc)[1];
        }
        long caseId = jdbc.queryForObject("select id from yk_case where case_no = ?", Long.class, caseNo);
        long nodeId = jdbc.queryForObject("select id from case_node where case_id = ? and node = 'SCHEME_REPLY'", Long.class, caseId);
        OffsetDateTime due = jdbc.queryForObject("select due_at from case_node where id = ?", OffsetDateTime.class, nodeId);
        DeadlineNotice notice = new DeadlineNotice(caseNo, caseId, nodeId, Node.SCHEME_REPLY, List.of("production", "marketing"),
                due, due.plusDays(3), 2);
        tx.executeWithoutResult(s -> deadlineMails.missed(notice));
        tx.executeWithoutResult(s -> deadlineMails.missed(notice)); // a second scan of the same notice adds nothing

        MailClient mail = MailClient.ofTestHub();
        for (String to : List.of(PRODUCTION, MARKETING, REP)) {
            var m = mail.await(to, "INBOX", MailClient.subjectContains("Deadline missed：" + caseNo), WAIT);
            assertThat(MailClient.textOf(m)).contains(tokens.tokenFor(caseNo, 1), tokens.tokenFor(caseNo, 2), "供电方案答复", "2 天");
        }
        // every mail of the case has left (the relay delivers outbox rows only): what the mailboxes hold now is final
        Outboxes.awaitNothingPending(jdbc, caseNo, WAIT);
        assertThat(jdbc.queryForObject("select count(*) from outbox where case_id = ? and channel = 'mail' and headers like ?",
                Integer.class, caseId, "%DEADLINE_MISSED%")).as("one notice per recipient, none for the second scan").isEqualTo(3);
        for (String to : List.of(PRODUCTION, MARKETING, REP)) {
            assertThat(mail.messages(to, "INBOX", MailClient.subjectContains("Deadline missed：" + caseNo))).hasSize(1);
        }
        assertThat(mail.messages(REPS, "INBOX", MailClient.subjectContains("Deadline missed：" + caseNo)))
                .as("the case's own representative (dongjiao: 王敏), not the shared mailbox").isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(caseMails.ofCase(caseNo))
                .filteredOn(s -> s.direction().equals("OUT") && s.status().equals("SENT"))
                .extracting(s -> s.note()).containsExactlyInAnyOrder("CUSTOMER_DOCUMENT", "HANDOFF", "HANDOFF",
                        "DEADLINE_MISSED", "DEADLINE_MISSED", "DEADLINE_MISSED"));
        assertThat(caseMails.ofCase(caseNo)).filteredOn(s -> "T1".equals(s.taskToken())).singleElement()
                .satisfies(s -> assertThat(s.subject()).startsWith(tokens.tokenFor(caseNo, 1)));
    }
}
