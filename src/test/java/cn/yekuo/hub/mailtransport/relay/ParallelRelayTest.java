package cn.yekuo.hub.mailtransport.relay;

import static cn.yekuo.hub.support.BillingClient.uniqueExample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;

import org.apache.camel.CamelContext;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;

/**
 * The mail relay sends different cases' mails at the same time ({@code yk.mail.relay-threads}, two on the shared hub),
 * each case's in the order written, and a failure that ends a run ends it on every thread. Shown with the sender's
 * hook, called on the sending thread right before each mail goes out: mails of two cases that wait for each other
 * can only both go on when they are sent at the same time.
 */
@HubTest
class ParallelRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How long a mail waits for the other case's; far below the SMTP timeouts. */
    private static final long MEET_SECONDS = 20;

    @Autowired CamelContext camel;
    @Autowired RelayMailSender sender;
    @Autowired JdbcTemplate jdbc;
    @Autowired HubProperties hub;
    @Autowired DataSource dataSource;
    @Value("${yk.broker.acceptor}") String acceptor;

    private BillingClient billing;

    private HikariDataSource pool;

    @BeforeEach
    void connect() throws Exception {
        pool = dataSource.unwrap(HikariDataSource.class);
        billing = new BillingClient(acceptor.replaceFirst("\\?.*", ""));
    }

    @AfterEach
    void restore() throws Exception {
        sender.beforeSend(null);
        sender.onEndRun(null);
        camel.getRouteController().startRoute("mail-relay");
        billing.close();
    }

    @Test
    void the_shared_hub_relays_with_more_than_one_thread() {
        assertThat(hub.mailRelayThreads()).as("the tests below need two cases at once").isGreaterThanOrEqualTo(2);
    }

    @Test
    void two_cases_mails_are_sent_at_the_same_time_each_cases_in_the_order_written() throws Exception {
        camel.getRouteController().stopRoute("mail-relay");
        String first = withMailsWaiting();
        String second = withMailsWaiting();
        List<String> firstWritten = waitingMails(first);
        List<String> secondWritten = waitingMails(second);
        CountDownLatch both = new CountDownLatch(2);
        List<String> met = new CopyOnWriteArrayList<>();
        AtomicInteger connectionsWhileBothSent = new AtomicInteger();
        CountDownLatch counted = new CountDownLatch(2);
        List<String> firstSent = new CopyOnWriteArrayList<>();
        List<String> secondSent = new CopyOnWriteArrayList<>();
        sender.beforeSend(m -> {
            String id = outboxId(m);
            List<String> sent = firstWritten.contains(id) ? firstSent : secondWritten.contains(id) ? secondSent : null;
            if (sent == null) {
                return;
            }
            sent.add(id);
            if (sent.size() == 1) {
                both.countDown();
                try {
                    // one relay thread would send one case's first mail, wait here in vain, then the other's
                    if (both.await(MEET_SECONDS, TimeUnit.SECONDS)) {
                        met.add(id);
                        // both threads are sending now, and stay until both have counted
                        connectionsWhileBothSent.accumulateAndGet(pool.getHikariPoolMXBean().getActiveConnections(), Math::max);
                        counted.countDown();
                        counted.await(MEET_SECONDS, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        camel.getRouteController().startRoute("mail-relay");

        await().atMost(WAIT).until(() -> waitingMails(first).isEmpty() && waitingMails(second).isEmpty());
        assertThat(met).as("each case's first mail saw the other's being sent").hasSize(2);
        assertThat(connectionsWhileBothSent.get()).as("no database connection held while sending (the sent marks"
                + " commit when the run ends; one if a poll of another route met them)").isLessThanOrEqualTo(1);
        assertThat(firstSent).as("in the order written, once each").containsExactlyElementsOf(firstWritten);
        assertThat(secondSent).as("in the order written, once each").containsExactlyElementsOf(secondWritten);
    }

    @Test
    void an_outage_met_by_one_thread_ends_the_run_on_the_other_before_its_next_mail() throws Exception {
        camel.getRouteController().stopRoute("mail-relay");
        String failing = withMailsWaiting();
        String other = withMailsWaiting();
        List<String> failingWritten = waitingMails(failing);
        List<String> otherWritten = waitingMails(other);
        CountDownLatch otherSending = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicBoolean failed = new AtomicBoolean();
        // what each thread did, in order: "send <id> <thread>" or "end <thread>"
        List<String> steps = new CopyOnWriteArrayList<>();
        sender.onEndRun(() -> {
            steps.add("end " + Thread.currentThread().getName());
            ended.countDown();
        });
        sender.beforeSend(m -> {
            String id = outboxId(m);
            steps.add("send " + id + " " + Thread.currentThread().getName());
            if (failingWritten.contains(id) && failed.compareAndSet(false, true)) {
                try {
                    otherSending.await(MEET_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // no answer from the server: an outage, charged to no mail
                throw new IllegalStateException(new MessagingException("test outage", new ConnectException("test outage")));
            } else if (id.equals(otherWritten.get(0)) && otherSending.getCount() > 0) {
                otherSending.countDown();
                try {
                    // this mail is under way when the run ends: it goes; the next one of this case must not, this run
                    ended.await(MEET_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            camel.getRouteController().startRoute("mail-relay");
            await().atMost(WAIT).until(() -> waitingMails(failing).isEmpty() && waitingMails(other).isEmpty());
        } finally {
            root.detachAppender(logged);
        }
        List<ILoggingEvent> outage = logged.list.stream()
                .filter(e -> e.getFormattedMessage().contains("test outage")).toList();
        assertThat(outage).as("the outage is told once, in one line: no stack trace, no 'Failed delivery' or 'Error"
                        + " processing exchange' of Camel's error handler or scheduler")
                .singleElement().satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getFormattedMessage()).startsWith("Mail relay run ended, mails wait for the next run");
                    assertThat(e.getThrowableProxy()).isNull();
                });
        String otherThread = steps.stream().filter(s -> s.startsWith("send " + otherWritten.get(0) + " ")).findFirst()
                .orElseThrow().substring(("send " + otherWritten.get(0) + " ").length());
        List<String> onOtherThread = steps.stream().filter(s -> s.endsWith(" " + otherThread)).toList();
        int first = onOtherThread.indexOf("send " + otherWritten.get(0) + " " + otherThread);
        assertThat(onOtherThread.get(first + 1)).as("after its mail under way, the other thread ended the run: " + steps)
                .isEqualTo("end " + otherThread);
        assertThat(steps.stream().filter(s -> s.startsWith("send " + otherWritten.get(0) + " ")))
                .as("the other case's first mail was sent once, before the run ended, and marked sent when the failed run"
                        + " ended: no later run sent it again").hasSize(1);
        assertThat(jdbc.queryForList("select attempts from outbox where message_id in (?, ?, ?) and attempts > 1",
                Integer.class, failingWritten.get(0), failingWritten.get(1), failingWritten.get(2)))
                .as("the outage was charged to no mail").isEmpty();
    }

    /** A case whose hand-offs and contact card mail wait in the outbox (the relay stopped). */
    private String withMailsWaiting() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        billing.sendApplication(app.toString());
        String caseNo = billing.awaitStatus(app.get("applicationNo").asText(), 3, WAIT).get(0).get("caseNo").asText();
        // two hand-offs and the customer's mail of the contact card, once the card is issued
        await().atMost(WAIT).until(() -> waitingMails(caseNo).size() == 3);
        return caseNo;
    }

    /** The case's mails not yet sent, in the order written. */
    private List<String> waitingMails(String caseNo) {
        return jdbc.queryForList("""
                select o.message_id from outbox o join yk_case c on c.id = o.case_id
                where c.case_no = ? and o.channel = 'mail' and o.sent_at is null and o.dead_at is null order by o.id""",
                String.class, caseNo);
    }

    private static String outboxId(MimeMessage m) {
        try {
            String id = m.getMessageID();
            return id == null ? "" : id.substring(1, id.indexOf('@'));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
