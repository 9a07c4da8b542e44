package cn.yekuo.hub.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two nodes' outboxes on one database (issue 16): a claim is renewed right before each send once half its lease has
 * passed, a run's sent entries are marked sent together, a node whose lease ended and was taken over sends
 * nothing, and a late failure never touches what another node delivered. H2 here; the PostgreSQL subclass runs the same.
 */
class OutboxClaimsTest {

    /** A lease that ends as it is taken: nothing keeps another node off. */
    static final Duration ENDED_AT_ONCE = Duration.ZERO;

    JdbcTemplate db;
    DataSource nodeA;
    DataSource nodeB;

    /** A fresh database with every migration; each node gets its own connections to it. */
    DataSource[] dataSources() {
        String url = "jdbc:h2:mem:outbox-claims-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        return new DataSource[] {new DriverManagerDataSource(url, "sa", ""), new DriverManagerDataSource(url, "sa", "")};
    }

    @BeforeEach
    void database() {
        DataSource[] ds = dataSources();
        nodeA = ds[0];
        nodeB = ds[1];
        Flyway.configure().dataSource(nodeA).locations("classpath:db/migration").cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(nodeA).locations("classpath:db/migration").load().migrate();
        db = new JdbcTemplate(nodeA);
    }

    Outbox outbox(DataSource ds, String node, Duration lease) {
        return new Outbox(new JdbcTemplate(ds), new ObjectMapper(), Clock.systemUTC(), new OutboxWakeUp(),
                new DataSourceTransactionManager(ds), lease, node);
    }

    long mail(String messageId) {
        outbox(nodeA, "writer", ENDED_AT_ONCE).add(null, Outbox.MAIL, messageId, null, Map.of(), "{}");
        return db.queryForObject("select id from outbox where message_id = ?", Long.class, messageId);
    }

    @Test
    void a_runs_sent_entries_are_marked_sent_together_when_it_ends_or_with_a_renewal() {
        Outbox a = outbox(nodeA, "node-a", Duration.ofMinutes(5));
        Outbox b = outbox(nodeB, "node-b", Duration.ofMinutes(5));
        long first = mail("<run-1@yekuo.local>");
        long second = mail("<run-2@yekuo.local>");
        long third = mail("<run-3@yekuo.local>");
        List<OutboxEntry> run = a.claimPendingMail(10);
        Exchange relay = openRun(a);

        sendInRun(a, relay, run.get(0));
        sendInRun(a, relay, run.get(1));
        assertThat(sentIds()).as("sent, not yet marked: no commit per entry").isEmpty();
        assertThat(b.claimPendingMail(10)).as("still node A's: no other node sends them").isEmpty();

        // the third is sent past half of the lease: its renewal is a commit, and carries the marks so far
        sendInRun(a, relay, run.get(2).claimedAt(System.nanoTime() - Duration.ofMinutes(3).toNanos()));
        assertThat(sentIds()).as("marked with the renewal, the third not yet").containsExactly(first, second);
        a.markRunSent(relay);
        assertThat(sentIds()).as("the rest marked when the run ends").containsExactly(first, second, third);
        a.markRunSent(relay);
        assertThat(db.queryForList("select attempts from outbox order by id", Integer.class)).as("each sent once")
                .containsExactly(1, 1, 1);
        a.release(run);
        assertThat(b.claimPendingMail(10)).as("nothing left to send").isEmpty();
    }

    @Test
    void a_run_that_ends_early_marks_what_it_sent_when_its_exchange_completes() {
        Outbox a = outbox(nodeA, "node-a", Duration.ofMinutes(5));
        long sent = mail("<early-1@yekuo.local>");
        long failed = mail("<early-2@yekuo.local>");
        List<OutboxEntry> run = a.claimPendingMail(10);
        Exchange relay = openRun(a);
        sendInRun(a, relay, run.get(0));
        // the second send fails and the route's error handler ends the run: no markRunSent step is reached
        relay.setException(new IllegalStateException("test outage"));
        org.apache.camel.support.UnitOfWorkHelper.doneSynchronizations(relay,
                relay.getExchangeExtension().handoverCompletions());
        assertThat(sentIds()).as("what the run sent, marked; the rest waits").containsExactly(sent);
        a.release(run);
        assertThat(a.claimPendingMail(10)).extracting(OutboxEntry::id).containsExactly(failed);
    }

    /** A relay run's exchange, its marks opened as the relay's step before its split does. */
    private static Exchange openRun(Outbox outbox) {
        Exchange relay = new DefaultExchange(new DefaultCamelContext());
        outbox.openMarks(relay);
        return relay;
    }

    /** An entry sent in a run, on an exchange as the relay's split makes it: a copy of the run's exchange. */
    private static void sendInRun(Outbox outbox, Exchange relay, OutboxEntry entry) {
        Exchange send = relay.copy();
        send.getMessage().setBody(entry);
        outbox.prepare(send);
        outbox.markSent(send);
    }

    private List<Long> sentIds() {
        return db.queryForList("select id from outbox where sent_at is not null order by id", Long.class);
    }

    @Test
    void a_node_whose_lease_ended_and_was_taken_over_sends_nothing_and_its_late_failure_changes_nothing() {
        Outbox a = outbox(nodeA, "node-a", ENDED_AT_ONCE);
        Outbox b = outbox(nodeB, "node-b", Duration.ofMinutes(5));
        long id = mail("<taken-over@yekuo.local>");
        OutboxEntry entry = a.claimPendingMail(10).get(0);
        // node A stalls before its send; its lease ends and node B takes the mail
        assertThat(b.claimPendingMail(10)).extracting(OutboxEntry::id).containsExactly(id);
        assertThat(a.renewClaim(id)).as("node A must not send what node B now holds").isFalse();
        Exchange send = new DefaultExchange(new DefaultCamelContext());
        send.getMessage().setBody(entry);
        assertThatThrownBy(() -> a.prepare(send)).as("node A's relay run ends at the lost claim")
                .isInstanceOf(Outbox.ClaimLost.class);
        assertThat(a.claimPendingMail(10)).as("nor claim it back while node B's lease lasts").isEmpty();

        assertThat(b.renewClaim(id)).isTrue();
        b.markSent(id);
        // node A's send had in fact failed late (a 5xx): it must not mark the delivered mail dead or count an attempt
        Outbox.Retry retry = new Outbox.Retry(3, Duration.ofSeconds(1), Duration.ofMinutes(1));
        Outbox.Failure dead = a.recordFailure(id, "554 late refusal", true, retry);
        assertThat(dead.recorded()).as("nothing written").isFalse();
        assertThat(dead.dead()).as("so no dead-letter notice").isFalse();
        assertThat(a.recordFailure(id, "421 late", false, retry).recorded()).isFalse();
        Map<String, Object> row = db.queryForMap("select attempts, dead_at, last_error, sent_at from outbox where id = ?", id);
        assertThat(((Number) value(row, "attempts")).intValue()).isOne();
        assertThat(value(row, "dead_at")).isNull();
        assertThat(value(row, "last_error")).isNull();
        assertThat(value(row, "sent_at")).isNotNull();
        b.markSent(id);
        assertThat(db.queryForObject("select attempts from outbox where id = ?", Integer.class, id))
                .as("marking a sent entry sent again counts nothing").isOne();
    }

    @Test
    void a_failure_is_recorded_on_the_nodes_own_claim_and_the_entry_goes_to_any_node_after_its_wait() {
        Outbox a = outbox(nodeA, "node-a", Duration.ofMinutes(5));
        Outbox b = outbox(nodeB, "node-b", Duration.ofMinutes(5));
        long id = mail("<refused@yekuo.local>");
        List<OutboxEntry> run = a.claimPendingMail(10);
        assertThat(b.claimPendingMail(10)).as("a live claim keeps node B off").isEmpty();
        assertThat(a.retryLater(id, "421 try later", java.time.OffsetDateTime.now().minusSeconds(1))).isTrue();
        a.release(run);
        assertThat(db.queryForObject("select attempts from outbox where id = ?", Integer.class, id)).isOne();
        assertThat(b.claimPendingMail(10)).as("given back: node B tries it").extracting(OutboxEntry::id).containsExactly(id);
    }

    @Test
    void a_lease_under_a_second_is_a_second_not_none() {
        Outbox a = outbox(nodeA, "node-a", Duration.ofMillis(500));
        Outbox b = outbox(nodeB, "node-b", Duration.ofMinutes(5));
        mail("<short-lease@yekuo.local>");
        assertThat(a.claimPendingMail(10)).hasSize(1);
        assertThat(b.claimPendingMail(10)).as("node A's claim still runs right after it was taken").isEmpty();
    }

    @Test
    void a_hand_off_that_attaches_a_requested_document_awaits_the_case_s_earlier_requests_and_their_completion_releases_it() {
        Outbox a = outbox(nodeA, "node-a", Duration.ofMinutes(5));
        long caseId = aCase("YK-2026-000901");
        long earlier = entry(a, caseId, Outbox.DOCUMENT, "document:" + caseId + ":SCHEME_REPLY:1", "{}");
        long request = entry(a, caseId, Outbox.DOCUMENT, "document:" + caseId + ":CONTRACT:1", "{}");
        long handOff = entry(a, caseId, Outbox.MAIL, "<hand-off@yekuo.local>", attaching(request));
        long plain = entry(a, caseId, Outbox.MAIL, "<plain@yekuo.local>", "{\"attachments\":[]}");
        assertThat(awaitsDocuments(handOff)).isTrue();
        assertThat(awaitsDocuments(plain)).isFalse();
        assertThat(a.claimPendingMail(10)).as("the requests are still to do: only the other mail")
                .extracting(OutboxEntry::id).containsExactly(plain);
        assertThat(awaitsDocuments(handOff)).as("the claim's sweep leaves it awaiting").isTrue();
        a.markSent(plain);
        TransactionTemplate issuer = new TransactionTemplate(new DataSourceTransactionManager(nodeA));
        issuer.executeWithoutResult(status -> {
            a.markSent(request);
            a.releaseMailsAwaitingDocuments(caseId);
        });
        assertThat(awaitsDocuments(handOff)).as("its own request issued, an earlier one of the case still to do").isTrue();
        issuer.executeWithoutResult(status -> {
            a.markDead(earlier, "render failed");
            a.releaseMailsAwaitingDocuments(caseId);
        });
        assertThat(awaitsDocuments(handOff)).as("the earlier one set aside").isFalse();
        assertThat(a.claimPendingMail(10)).as("released: the hand-off goes").extracting(OutboxEntry::id).containsExactly(handOff);
    }

    @Test
    void a_hand_off_still_awaiting_a_request_done_meanwhile_is_released_by_the_mail_relays_sweep() {
        Outbox writer = outbox(nodeA, "writer", Duration.ofMinutes(5));
        HandOff h = handOffAwaiting(writer, "YK-2026-000902", "ACCEPTANCE_OPINION");
        long handOff = h.mail();
        // set aside before the hand-off's transaction committed: no release reached it
        assertThat(writer.markDead(h.request(), "render failed")).isTrue();
        assertThat(awaitsDocuments(handOff)).isTrue();
        Outbox b = outbox(nodeB, "node-b", Duration.ofMinutes(5));
        assertThat(b.claimPendingMail(10)).as("the first claim sweeps").extracting(OutboxEntry::id).containsExactly(handOff);
        assertThat(awaitsDocuments(handOff)).isFalse();
    }

    @Test
    void a_relay_renews_no_claim_in_the_first_half_of_its_lease_and_every_claim_past_it() {
        Outbox a = outbox(nodeA, "node-a", Duration.ofMinutes(5));
        Outbox b = outbox(nodeB, "node-b", Duration.ofMinutes(5));
        a.add(null, Outbox.BILLING_STATUS, "status-1", "YK-2026-000001", Map.of("caseNo", "YK-2026-000001"), "{\"status\":1}");
        OutboxEntry claimed = a.claimPending(10).get(0);
        // the lease as the claim wrote it, cut short so that a renewal (another five minutes) shows
        db.update("update outbox set claimed_until = current_timestamp + interval '100' second where id = ?", claimed.id());
        java.sql.Timestamp cut = db.queryForObject("select claimed_until from outbox where id = ?", java.sql.Timestamp.class, claimed.id());

        Exchange young = sending(claimed);
        a.prepare(young);
        assertThat(db.queryForObject("select claimed_until from outbox where id = ?", java.sql.Timestamp.class, claimed.id()))
                .as("claimed just now: no renewal, no commit").isEqualTo(cut);
        assertThat(young.getMessage().getBody(String.class)).isEqualTo("{\"status\":1}");
        assertThat(young.getMessage().getHeader("caseNo")).isEqualTo("YK-2026-000001");
        assertThat(young.getProperty(Outbox.ENTRY, OutboxEntry.class).id()).isEqualTo(claimed.id());

        a.prepare(sending(claimed.claimedAt(System.nanoTime() - Duration.ofMinutes(3).toNanos())));
        assertThat(db.queryForObject("select claimed_until from outbox where id = ?", java.sql.Timestamp.class, claimed.id()))
                .as("past half its lease: renewed").isAfter(cut);

        Exchange unclaimed = sending(new OutboxEntry(claimed.id(), null, claimed.channel(), claimed.messageId(),
                claimed.groupKey(), claimed.headers(), claimed.payload()));
        a.prepare(unclaimed);
        assertThat(unclaimed.getMessage().getBody(String.class)).as("read without a claim: renewed, then sent").isEqualTo("{\"status\":1}");

        // node A stalls past its lease; node B takes the entry over
        db.update("update outbox set claimed_until = current_timestamp - interval '1' second where id = ?", claimed.id());
        assertThat(b.claimPending(10)).extracting(OutboxEntry::id).containsExactly(claimed.id());
        assertThatThrownBy(() -> a.prepare(sending(claimed.claimedAt(System.nanoTime() - Duration.ofMinutes(6).toNanos()))))
                .as("node A's run ends at the lost claim").isInstanceOf(Outbox.ClaimLost.class);
    }

    private static Exchange sending(OutboxEntry entry) {
        Exchange send = new DefaultExchange(new DefaultCamelContext());
        send.getMessage().setBody(entry);
        return send;
    }

    @Test
    void a_row_of_a_channel_no_relay_delivers_is_refused() {
        Outbox a = outbox(nodeA, "node-a", Duration.ofMinutes(5));
        assertThatThrownBy(() -> a.add(null, "fax", "<fax@yekuo.local>", null, Map.of(), "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fax");
        assertThat(db.queryForObject("select count(*) from outbox", Integer.class)).isZero();
    }

    /** A case, its document request of {@code type}, and a hand-off that attaches it. */
    private record HandOff(long caseId, long request, long mail) {
    }

    private HandOff handOffAwaiting(Outbox outbox, String caseNo, String type) {
        long caseId = aCase(caseNo);
        long request = entry(outbox, caseId, Outbox.DOCUMENT, "document:" + caseId + ":" + type + ":1", "{}");
        return new HandOff(caseId, request, entry(outbox, caseId, Outbox.MAIL, "<hand-off-" + caseNo + "@yekuo.local>",
                attaching(request)));
    }

    private long aCase(String caseNo) {
        java.time.OffsetDateTime t = java.time.OffsetDateTime.now();
        db.update("""
                insert into yk_case (case_no, application_no, service_type, stage, customer_name, site_address, supply_station,
                    supply_voltage_kv, transformer_kva, existing_kva, power_sources, materials, submitted_at, created_at, updated_at)
                values (?, ?, 'NEW_INSTALL', 'SCHEME', '杭州东郊新材料有限公司', '杭州市东郊工业园区8号', 'DJ', 10, 800, 0, 1, '', ?, ?, ?)""",
                caseNo, "APP-" + caseNo, t, t, t);
        return db.queryForObject("select id from yk_case where case_no = ?", Long.class, caseNo);
    }

    private long entry(Outbox outbox, long caseId, String channel, String messageId, String payload) {
        outbox.add(caseId, channel, messageId, "YK-case-" + caseId, Map.of(), payload);
        return db.queryForObject("select id from outbox where message_id = ?", Long.class, messageId);
    }

    /** A mail's payload as the hand-offs write it: the attachment refers to the document request. */
    private static String attaching(long request) {
        return "{\"attachments\":[{\"source\":\"REQUESTED_DOCUMENT\",\"id\":" + request + ",\"fileName\":\"x.pdf\"}]}";
    }

    private boolean awaitsDocuments(long id) {
        return Boolean.TRUE.equals(db.queryForObject("select awaits_documents from outbox where id = ?", Boolean.class, id));
    }

    private static Object value(Map<String, Object> row, String column) {
        return row.containsKey(column) ? row.get(column) : row.get(column.toUpperCase());
    }
}
