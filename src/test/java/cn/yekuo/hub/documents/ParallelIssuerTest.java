package cn.yekuo.hub.documents;

import static cn.yekuo.hub.support.BillingClient.event;
import static cn.yekuo.hub.support.BillingClient.uniqueExample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;

/**
 * The document issuer works on several cases at once ({@code yk.documents.issuer-threads}, two on the shared hub),
 * each case's requests in the order requested. Shown with the renderer's layout hook: layouts of two cases that wait
 * for each other can only both go on when they run at the same time.
 */
@HubTest
class ParallelIssuerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How long a layout waits for the other case's; far below the render time limit. */
    private static final long MEET_SECONDS = 20;

    @Autowired CamelContext camel;
    @Autowired DocumentRenderer renderer;
    @Autowired JdbcTemplate jdbc;
    @Autowired HubProperties hub;
    @Value("${yk.broker.acceptor}") String acceptor;

    private BillingClient billing;

    @BeforeEach
    void connect() {
        billing = new BillingClient(acceptor.replaceFirst("\\?.*", ""));
    }

    @AfterEach
    void restore() throws Exception {
        renderer.beforeLayout(null);
        camel.getRouteController().startRoute("document-issuer");
        billing.close();
    }

    @Test
    void the_shared_hub_issues_with_more_than_one_thread() {
        assertThat(hub.documents().issuerThreads()).as("the tests below need two cases at once").isGreaterThanOrEqualTo(2);
    }

    @Test
    void two_cases_documents_are_laid_out_at_the_same_time() throws Exception {
        camel.getRouteController().stopRoute("document-issuer");
        String first = accepted();
        String second = accepted();
        CountDownLatch both = new CountDownLatch(2);
        List<String> met = new CopyOnWriteArrayList<>();
        renderer.beforeLayout(what -> {
            if (what.contains(first) || what.contains(second)) {
                both.countDown();
                try {
                    // one issuer thread would lay out one case, wait here in vain, then the other
                    if (both.await(MEET_SECONDS, TimeUnit.SECONDS)) {
                        met.add(what);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        camel.getRouteController().startRoute("document-issuer");

        await().atMost(WAIT).until(() -> pendingRequests(first) + pendingRequests(second) == 0);
        assertThat(met).as("each case's layout saw the other's under way").hasSize(2)
                .anyMatch(w -> w.contains(first)).anyMatch(w -> w.contains(second));
    }

    @Test
    void one_cases_requests_are_issued_in_the_order_requested_while_another_case_is_issued_alongside() throws Exception {
        camel.getRouteController().stopRoute("document-issuer");
        // the materials notice at intake, then the contact card once the materials are supplied: two requests
        ObjectNode app = uniqueExample("application-capacity-increase-missing-materials.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        String twoRequests = billing.awaitStatus(applicationNo, 2, WAIT).get(0).get("caseNo").asText();
        billing.sendEvent(event("MaterialsSupplemented", applicationNo, "suppliedAt", "2026-11-30T15:20:00+08:00",
                "materials", List.of("AGENT_AUTHORIZATION", "SITE_PLAN", "EXISTING_CONTRACT")));
        billing.awaitStatus(applicationNo, 2, WAIT);
        await().atMost(WAIT).until(() -> pendingRequests(twoRequests) == 2);
        String other = accepted();

        List<String> laidOut = new CopyOnWriteArrayList<>();
        CountDownLatch otherStarted = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        renderer.beforeLayout(what -> {
            if (what.contains(other)) {
                otherStarted.countDown();
            } else if (what.contains(twoRequests)) {
                laidOut.add(what);
                try {
                    // the first request waits until the other case is under way: its second must still come after it
                    if (laidOut.size() == 1 && otherStarted.await(MEET_SECONDS, TimeUnit.SECONDS)) {
                        overlapped.set(true);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        camel.getRouteController().startRoute("document-issuer");

        await().atMost(WAIT).until(() -> pendingRequests(twoRequests) + pendingRequests(other) == 0);
        assertThat(laidOut).as("laid out once each, in the order requested")
                .satisfiesExactly(w -> assertThat(w).startsWith("MATERIALS_NOTICE"), w -> assertThat(w).startsWith("CONTACT_CARD"));
        assertThat(overlapped).as("the other case was issued alongside").isTrue();
        assertThat(jdbc.queryForList("""
                select d.type from case_document d join yk_case c on c.id = d.case_id where c.case_no = ? order by d.id""",
                String.class, twoRequests)).containsExactly("MATERIALS_NOTICE", "CONTACT_CARD");
    }

    @Test
    void a_commit_during_a_run_is_issued_by_the_next_run_not_alongside_it() throws Exception {
        camel.getRouteController().stopRoute("document-issuer");
        String slow = accepted();
        CountDownLatch slowUnderWay = new CountDownLatch(1);
        CountDownLatch otherLaidOut = new CountDownLatch(1);
        AtomicBoolean otherWhileSlow = new AtomicBoolean();
        AtomicBoolean slowDone = new AtomicBoolean();
        renderer.beforeLayout(what -> {
            if (what.contains(slow)) {
                slowUnderWay.countDown();
                try {
                    // a run started alongside this one would lay out the later case on the free thread meanwhile
                    otherLaidOut.await(MEET_SECONDS / 4, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slowDone.set(true);
            } else {
                otherWhileSlow.compareAndSet(false, !slowDone.get());
                otherLaidOut.countDown();
            }
        });
        camel.getRouteController().startRoute("document-issuer");
        assertThat(slowUnderWay.await(MEET_SECONDS, TimeUnit.SECONDS)).isTrue();
        // committed while the run is under way (its status messages leave after commit): its wake-up queues a run
        ObjectNode app = uniqueExample("application-new-install.json");
        billing.sendApplication(app.toString());
        String later = billing.awaitStatus(app.get("applicationNo").asText(), 3, WAIT).get(0).get("caseNo").asText();

        await().atMost(WAIT).until(() -> pendingRequests(slow) + pendingRequests(later) == 0);
        assertThat(otherLaidOut.getCount()).as("the later case was laid out").isZero();
        assertThat(otherWhileSlow).as("the later case waited for the run under way to end").isFalse();
    }

    @Test
    void a_failing_request_of_one_case_counts_an_attempt_and_does_not_hold_up_another_case() throws Exception {
        camel.getRouteController().stopRoute("document-issuer");
        String failing = accepted();
        String meanwhile = accepted();
        CountDownLatch meanwhileIssued = new CountDownLatch(1);
        AtomicBoolean failedAfterIt = new AtomicBoolean();
        AtomicBoolean failedOnce = new AtomicBoolean();
        renderer.beforeLayout(what -> {
            if (what.contains(failing) && failedOnce.compareAndSet(false, true)) {
                try {
                    // the failing layout is still under way while the other case is issued and committed
                    failedAfterIt.set(meanwhileIssued.await(MEET_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("layout bug for " + failing);
            }
        });
        camel.getRouteController().startRoute("document-issuer");

        await().atMost(WAIT).until(() -> pendingRequests(meanwhile) == 0);
        meanwhileIssued.countDown();
        await().atMost(WAIT).until(() -> attempts(failing) >= 1);
        assertThat(failedAfterIt).as("the other case was issued while this one was failing").isTrue();
        Map<String, Object> row = request(failing);
        assertThat((String) row.get("LAST_ERROR")).contains("layout bug");
        assertThat(row.get("NEXT_ATTEMPT_AT")).as("it backs off").isNotNull();
        // its next attempt, after the backoff, issues it
        await().atMost(WAIT).until(() -> pendingRequests(failing) == 0);
        assertThat(request(failing).get("DEAD_AT")).isNull();
        assertThat(jdbc.queryForObject("""
                select count(*) from case_document d join yk_case c on c.id = d.case_id where c.case_no = ?""",
                Integer.class, failing)).isEqualTo(1);
    }

    private String accepted() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        billing.sendApplication(app.toString());
        List<JsonNode> status = billing.awaitStatus(app.get("applicationNo").asText(), 3, WAIT);
        assertThat(status).hasSize(3);
        String caseNo = status.get(0).get("caseNo").asText();
        await().atMost(WAIT).until(() -> pendingRequests(caseNo) == 1);
        return caseNo;
    }

    private int pendingRequests(String caseNo) {
        return jdbc.queryForObject("""
                select count(*) from outbox o join yk_case c on c.id = o.case_id
                where c.case_no = ? and o.channel = 'document' and o.sent_at is null""", Integer.class, caseNo);
    }

    private int attempts(String caseNo) {
        return (Integer) request(caseNo).get("ATTEMPTS");
    }

    private Map<String, Object> request(String caseNo) {
        return jdbc.queryForMap("""
                select o.attempts, o.last_error, o.next_attempt_at, o.dead_at from outbox o join yk_case c on c.id = o.case_id
                where c.case_no = ? and o.channel = 'document'""", caseNo);
    }
}
