package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.rendering.DocumentType;
import static cn.yekuo.hub.support.BillingClient.uniqueExample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;

/**
 * Hard faults while issuing a document, on the shared hub: the disk is full (a tiny tmpfs mounted where the case's
 * documents go), the layout hangs (a render hook that blocks). Either way the request fails cleanly — no row, no
 * file, the request still pending — and is issued exactly once when the fault is gone.
 */
@HubTest
class DocumentFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired CamelContext camel;
    @Autowired DocumentArchive archive;
    @Autowired DocumentRenderer renderer;
    @Autowired JdbcTemplate jdbc;
    @Autowired HubProperties hub;
    @Autowired MeterRegistry registry;
    @Value("${yk.broker.acceptor}") String acceptor;
    @Value("${yk.documents.render-timeout}") Duration renderTimeout;

    private BillingClient billing;

    @BeforeEach
    void connect() {
        billing = new BillingClient(acceptor.replaceFirst("\\?.*", ""));
    }

    @AfterEach
    void restore() throws Exception {
        renderer.beforeLayout(null);
        renderer.timeLimit(renderTimeout);
        camel.getRouteController().startRoute("document-issuer");
        billing.close();
    }

    @Test
    void a_full_disk_fails_the_document_cleanly_and_it_is_issued_once_space_is_back() throws Exception {
        String caseNo = acceptedWithTheIssuerStopped();
        Path dir = archive.root().resolve(caseNo);
        Files.createDirectories(dir);
        // one page of space: no contact card fits
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", dir.toString()) == 0,
                "mounting a tmpfs needs root (CAP_SYS_ADMIN)");
        try {
            AtomicInteger layouts = countLayouts(caseNo);
            camel.getRouteController().startRoute("document-issuer");
            await().atMost(WAIT).until(() -> layouts.get() >= 2);

            assertThat(documentRows(caseNo)).as("no row for a document that could not be written").isZero();
            assertThat(pendingRequests(caseNo)).as("the request waits for the next run").isEqualTo(1);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.toList()).as("no partial file left behind").isEmpty();
            }

            assertThat(run("mount", "-o", "remount,size=16m", dir.toString())).as("space is back").isZero();
            await().atMost(WAIT).until(() -> pendingRequests(caseNo) == 0);
            assertIssuedOnce(caseNo);
        } finally {
            unmountKeepingFiles(dir);
        }
    }

    @Test
    void a_render_that_hangs_is_abandoned_at_the_time_limit_and_the_document_is_issued_on_a_later_run() throws Exception {
        String caseNo = acceptedWithTheIssuerStopped();
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger layouts = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        renderer.timeLimit(Duration.ofSeconds(2));
        renderer.beforeLayout(what -> {
            if (what.contains(caseNo) && layouts.incrementAndGet() == 1) {
                try {
                    never.await(); // the first layout of this case hangs
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    Thread.currentThread().interrupt();
                }
            }
        });
        camel.getRouteController().startRoute("document-issuer");

        await().atMost(WAIT).until(() -> pendingRequests(caseNo) == 0);
        assertThat(layouts.get()).as("the hung layout, then the one that issued it").isGreaterThanOrEqualTo(2);
        assertThat(interrupted).as("the hung layout was interrupted, not left running").isTrue();
        assertThat(never.getCount()).as("the hang itself never ended").isEqualTo(1);
        assertIssuedOnce(caseNo);
    }

    @Test
    void a_document_that_fails_every_time_is_tried_a_bounded_number_of_times_with_backoff_then_set_aside_with_a_notice()
            throws Exception {
        String failing = acceptedWithTheIssuerStopped();
        List<Long> tries = new CopyOnWriteArrayList<>();
        renderer.beforeLayout(what -> {
            if (what.contains(failing)) {
                tries.add(System.nanoTime());
                throw new IllegalStateException("layout bug for " + failing);
            }
        });
        camel.getRouteController().startRoute("document-issuer");
        await().atMost(WAIT).until(() -> tries.size() >= 2);

        String meanwhile = accepted();
        await().atMost(WAIT).until(() -> pendingRequests(meanwhile) == 0);
        assertIssuedOnce(meanwhile);
        assertThat(failedRequests(failing)).as("still tried while the other was issued").isZero();

        int maxAttempts = hub.documents().issueMaxAttempts();
        await().atMost(WAIT).until(() -> failedRequests(failing) == 1);
        Map<String, Object> row = jdbc.queryForMap("""
                select o.attempts, o.last_error, o.message_id from outbox o join yk_case c on c.id = o.case_id
                where c.case_no = ? and o.channel = 'document'""", failing);
        assertThat(row.get("ATTEMPTS")).isEqualTo(maxAttempts);
        assertThat((String) row.get("LAST_ERROR")).contains("layout bug");
        assertThat(tries).as("one layout per attempt").hasSize(maxAttempts);
        Duration first = hub.documents().issueBackoff();
        Duration third = first.multipliedBy(4).compareTo(hub.documents().issueMaxBackoff()) > 0
                ? hub.documents().issueMaxBackoff() : first.multipliedBy(4);
        assertThat(Duration.ofNanos(tries.get(1) - tries.get(0))).as("the first wait").isGreaterThanOrEqualTo(first);
        assertThat(Duration.ofNanos(tries.get(3) - tries.get(2))).as("the wait doubles").isGreaterThanOrEqualTo(third);
        assertThat(documentRows(failing)).isZero();

        String notice = DocumentRequestFailures.noticeIdOf((String) row.get("MESSAGE_ID"));
        assertThat(notice).doesNotContain(":");
        await("the representatives are told").atMost(WAIT).until(() -> jdbc.queryForObject(
                "select count(*) from outbox where message_id = ? and channel = 'mail' and sent_at is not null", Integer.class, notice) == 1);
        assertThat(jdbc.queryForObject("select headers from outbox where message_id = ?", String.class, notice))
                .contains(DocumentRequestFailures.NOTICE_KIND, failing);
        await("operators see the count").atMost(WAIT)
                .until(() -> registry.get("yk.documents.failed").gauge().value() >= 1.0);

        // a later run issues the next case and never tries the set-aside one again
        String after = accepted();
        await().atMost(WAIT).until(() -> pendingRequests(after) == 0);
        assertIssuedOnce(after);
        assertThat(tries).hasSize(maxAttempts);
        assertThat(failedRequests(failing)).isEqualTo(1);
    }

    private String accepted() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        billing.sendApplication(app.toString());
        List<com.fasterxml.jackson.databind.JsonNode> status = billing.awaitStatus(app.get("applicationNo").asText(), 3, WAIT);
        assertThat(status).hasSize(3);
        return status.get(0).get("caseNo").asText();
    }

    private int failedRequests(String caseNo) {
        return jdbc.queryForObject("""
                select count(*) from outbox o join yk_case c on c.id = o.case_id
                where c.case_no = ? and o.channel = 'document' and o.dead_at is not null""", Integer.class, caseNo);
    }

    private String acceptedWithTheIssuerStopped() throws Exception {
        camel.getRouteController().stopRoute("document-issuer");
        ObjectNode app = uniqueExample("application-new-install.json");
        billing.sendApplication(app.toString());
        List<com.fasterxml.jackson.databind.JsonNode> status = billing.awaitStatus(app.get("applicationNo").asText(), 3, WAIT);
        assertThat(status).hasSize(3);
        String caseNo = status.get(0).get("caseNo").asText();
        assertThat(pendingRequests(caseNo)).as("the contact card is requested").isEqualTo(1);
        return caseNo;
    }

    private AtomicInteger countLayouts(String caseNo) {
        AtomicInteger layouts = new AtomicInteger();
        renderer.beforeLayout(what -> {
            if (what.contains(caseNo)) {
                layouts.incrementAndGet();
            }
        });
        return layouts;
    }

    private void assertIssuedOnce(String caseNo) {
        List<ArchivedDocument> docs = archive.list(caseNo);
        assertThat(docs).extracting(ArchivedDocument::type).containsExactly(DocumentType.CONTACT_CARD);
        assertThat(archive.open(docs.get(0).id())).as("the file is whole: its SHA-256 is the recorded one").isNotEmpty();
        assertThat(jdbc.queryForObject("""
                select count(*) from case_timeline t join yk_case c on c.id = t.case_id
                where c.case_no = ? and t.kind = 'DOCUMENT_ISSUED'""", Integer.class, caseNo)).isEqualTo(1);
    }

    private int documentRows(String caseNo) {
        return jdbc.queryForObject("select count(*) from case_document d join yk_case c on c.id = d.case_id where c.case_no = ?",
                Integer.class, caseNo);
    }

    private int pendingRequests(String caseNo) {
        return jdbc.queryForObject("""
                select count(*) from outbox o join yk_case c on c.id = o.case_id
                where c.case_no = ? and o.channel = 'document' and o.sent_at is null""", Integer.class, caseNo);
    }

    /** Unmounts the tmpfs and puts what it held back on the disk, so the archive stays whole after the test. */
    private static void unmountKeepingFiles(Path dir) throws IOException, InterruptedException {
        Map<Path, byte[]> kept = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                kept.put(dir.relativize(f), Files.readAllBytes(f));
            }
        }
        run("umount", dir.toString());
        for (Map.Entry<Path, byte[]> f : kept.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        if (exit != 0) {
            System.err.println(String.join(" ", command) + ": " + out);
        }
        return exit;
    }
}
