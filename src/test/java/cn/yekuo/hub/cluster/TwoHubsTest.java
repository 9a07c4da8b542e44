package cn.yekuo.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.listeners.JobListenerSupport;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.broker.EmbeddedBroker;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.Replies;
import cn.yekuo.hub.support.RunningHub;

/**
 * Two hub nodes on one database, one broker and one mail server (issue 16): the outbox relays of both drain one outbox
 * with every row sent once and each group in order, a claim of a node that died is taken over, a live claim of
 * another node holds back the rows after it in its group; the units' replies are read by one node at a time (the
 * clustered Quartz trigger of {@code yk.mail.reader=cluster}), each once, and the other node reads when the first stops.
 * H2 here (a TCP server for the shared database); {@link TwoHubsOnPostgresTest} shares a PostgreSQL schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoHubsTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final String HUB = "hub@yekuo.local";
    static final String PRODUCTION = "production@yekuo.local";
    static final String MARKETING = "marketing@yekuo.local";

    Path dir;
    AutoCloseable database;
    EmbeddedBroker broker;
    String brokerUrl;
    GreenMail mail;
    MailClient mailClient;
    RunningHub a;
    RunningHub b;
    final Map<String, Node> nodes = new ConcurrentHashMap<>();

    /** The shared database's settings. */
    Map<String, Object> sharedDatabase(Path dir, int port) {
        return Map.of("spring.datasource.url", "jdbc:h2:tcp://127.0.0.1:" + port + "/" + dir.toAbsolutePath().resolve("cluster")
                + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0");
    }

    /** Starts what the shared database needs (an H2 TCP server); closed after the tests. */
    AutoCloseable databaseServer(int port) throws Exception {
        org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        return server::stop;
    }

    @BeforeAll
    void startCluster() throws Exception {
        dir = RunningHub.newDataDir("two-hubs");
        int dbPort = RunningHub.freePort();
        database = databaseServer(dbPort);
        int brokerPort = RunningHub.freePort();
        brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        HubProperties.Broker settings = new HubProperties.Broker(true, brokerUrl + "?protocols=CORE", null, "hub", "hub-secret",
                "billing", "billing", Duration.ofSeconds(1), Duration.ofSeconds(10), 1_048_576);
        broker = new EmbeddedBroker(settings, dir.resolve("broker"), "hub-secret");
        broker.start();
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        ServerSetup smtpSetup = new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        ServerSetup imapSetup = new ServerSetup(imap, "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
        smtpSetup.setServerStartupTimeout(30_000);
        imapSetup.setServerStartupTimeout(30_000);
        mail = new GreenMail(new ServerSetup[] {smtpSetup, imapSetup});
        mail.start();
        for (String address : List.of(HUB, PRODUCTION, MARKETING, "reps@yekuo.local")) {
            mail.setUser(address, address, address);
        }
        mailClient = new MailClient(smtp, imap);

        Map<String, Object> props = new HashMap<>(sharedDatabase(dir, dbPort));
        props.put("yk.broker.embedded", "false");
        props.put("yk.broker.url", brokerUrl);
        props.put("yk.broker.user", "hub");
        props.put("yk.broker.password", "hub-secret");
        props.put("yk.mail.embedded", "false");
        props.put("yk.mail.smtp-host", "127.0.0.1");
        props.put("yk.mail.smtp-port", String.valueOf(smtp));
        props.put("yk.mail.imap-host", "127.0.0.1");
        props.put("yk.mail.imap-port", String.valueOf(imap));
        props.put("yk.mail.hub-user", HUB);
        props.put("yk.mail.hub-password", HUB);
        props.put("yk.mail.token-secret", "two-hubs-token-secret-0123456789abcdef");
        props.put("yk.mail.reader", "cluster");
        props.put("yk.mail.poll-interval", "1s");
        props.put("yk.mail.relay-interval", "200ms");
        props.put("yk.outbox.poll-millis", "200");
        props.put("yk.outbox.batch-size", "20");
        props.put("yk.documents.issuer-enabled", "false");
        a = RunningHub.start(dir.resolve("a"), RunningHub.freePort(), props);
        nodes.put("a", Node.on("a", a));
        b = RunningHub.start(dir.resolve("b"), RunningHub.freePort(), props);
        nodes.put("b", Node.on("b", b));
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {b, a}) {
            if (c != null) {
                c.close();
            }
        }
        if (mail != null) {
            mail.stop();
        }
        if (broker != null) {
            broker.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    void two_relays_drain_one_outbox_each_row_once_and_each_group_in_order() throws Exception {
        int groups = 10;
        int perGroup = 30;
        String run = "DRAIN-" + System.nanoTime();
        // committed with no wake-up: both nodes' relays find them at their polls and compete for them
        insertStatusRows(run, groups, perGroup, null, null, null);
        JdbcTemplate db = a.jdbc();
        await("the outbox drained").atMost(WAIT).until(() -> pending(db, run) == 0);

        List<JsonNode> received = receiveStatus(run, groups * perGroup);
        assertThat(received).as("every row reached billing").hasSize(groups * perGroup);
        assertThat(received.stream().map(m -> m.get("messageId").asText()).distinct().count()).as("each once")
                .isEqualTo(groups * perGroup);
        assertInGroupOrder(received, groups, perGroup);
        assertThat(db.queryForObject("select max(attempts) from outbox where message_id like ?", Integer.class, run + "%"))
                .as("no row was published twice: the relays never sent the same claim").isEqualTo(1);
        Map<String, Integer> byNode = new HashMap<>();
        db.query("select claimed_by, count(*) from outbox where message_id like ? group by claimed_by",
                rs -> {
                    byNode.put(rs.getString(1), rs.getInt(2));
                }, run + "%");
        System.out.println("Outbox rows sent per node: " + byNode);
    }

    @Test
    @Order(2)
    void a_dead_nodes_claims_are_taken_over_and_a_live_claim_holds_back_the_rest_of_its_group() throws Exception {
        String dead = "DEAD-" + System.nanoTime();
        // claims of a node that died: their lease has ended
        insertStatusRows(dead, 2, 5, "dead-node", OffsetDateTime.now().minusMinutes(5), null);
        await("the dead node's rows sent by the living").atMost(WAIT).until(() -> pending(a.jdbc(), dead) == 0);
        List<JsonNode> taken = receiveStatus(dead, 10);
        assertThat(taken).hasSize(10);
        assertInGroupOrder(taken, 2, 5);

        String held = "HELD-" + System.nanoTime();
        // the first row of group 0 claimed by a live node (its lease ends in ten minutes), everything else free
        insertStatusRows(held, 2, 5, null, null, held + "-g0-0");
        JdbcTemplate db = a.jdbc();
        await("group 1 sent").atMost(WAIT).until(() -> pendingGroup(db, held, 1) == 0);
        assertThat(pendingGroup(db, held, 0)).as("nothing of group 0 overtakes its claimed first row").isEqualTo(5);
        // the live claim ends (its node stopped without giving it back): the group leaves, in order
        db.update("update outbox set claimed_until = ? where message_id = ?", OffsetDateTime.now().minusSeconds(1), held + "-g0-0");
        await("group 0 sent").atMost(WAIT).until(() -> pendingGroup(db, held, 0) == 0);
        List<JsonNode> got = receiveStatus(held, 10);
        assertThat(got).hasSize(10);
        assertInGroupOrder(got, 2, 5);
    }

    @Test
    @Order(3)
    void one_node_reports_the_business_gauges_so_their_sum_over_the_nodes_is_the_clusters_value() {
        try (BillingClient billing = new BillingClient(brokerUrl)) {
            for (int i = 0; i < 2; i++) {
                ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
                billing.sendApplication(app.toString());
                assertThat(billing.awaitStatus(app.get("applicationNo").asText(), 3, WAIT)).hasSize(3);
            }
        }
        int inScheme = a.jdbc().queryForObject("select count(*) from yk_case where stage = 'SCHEME'", Integer.class);
        assertThat(inScheme).isGreaterThanOrEqualTo(2);
        await("the gauges summed over both nodes count each case once").atMost(WAIT)
                .until(() -> gauge(a, "yk.cases.open", "stage", "SCHEME") + gauge(b, "yk.cases.open", "stage", "SCHEME") == inScheme);
        assertThat(gauge(a, "yk.business.gauges.reporter", null, null) + gauge(b, "yk.business.gauges.reporter", null, null))
                .as("one reporting node").isEqualTo(1);
    }

    @Test
    @Order(5)
    void when_the_reporting_node_stops_the_other_reports() {
        assertThat(a).as("node a was stopped by the replies test").isNull();
        await("node b reports").atMost(WAIT).until(() -> gauge(b, "yk.business.gauges.reporter", null, null) == 1);
        int inScheme = b.jdbc().queryForObject("select count(*) from yk_case where stage = 'SCHEME'", Integer.class);
        await("node b's gauge is the cluster's value").atMost(WAIT)
                .until(() -> gauge(b, "yk.cases.open", "stage", "SCHEME") == inScheme);
    }

    private static double gauge(RunningHub hub, String name, String tag, String value) {
        io.micrometer.core.instrument.search.RequiredSearch search = hub.bean(io.micrometer.core.instrument.MeterRegistry.class).get(name);
        return (tag == null ? search : search.tag(tag, value)).gauge().value();
    }

    @Test
    @Order(4)
    void replies_are_read_by_one_node_at_a_time_each_once_and_the_other_node_reads_when_the_first_stops() throws Exception {
        List<String> replyIds = new ArrayList<>();
        List<String> cases = new ArrayList<>();
        int casesBefore = 4;
        try (BillingClient billing = new BillingClient(brokerUrl)) {
            for (int i = 0; i < casesBefore + 2; i++) {
                ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
                cases.add(app.get("applicationNo").asText());
                billing.sendApplication(app.toString());
            }
            for (String applicationNo : cases) {
                assertThat(billing.awaitStatus(applicationNo, 3, WAIT)).hasSize(3);
            }
        }
        JdbcTemplate db = b.jdbc();
        await("hand-offs sent").atMost(WAIT).until(() -> db.queryForObject(
                "select count(*) from outbox where channel = 'mail' and sent_at is null", Integer.class) == 0);
        List<MimeMessage> handOffs = new ArrayList<>(mailClient.inbox(PRODUCTION));
        handOffs.removeIf(m -> cases.stream().noneMatch(no -> subjectOf(m).contains(no) || textOf(m).contains(no)));
        assertThat(handOffs).as("one technical hand-off per case").hasSize(cases.size());
        assertThat(mail.getReceivedMessagesForDomain("yekuo.local")).as("no mail reached the server twice")
                .extracting(m -> m.getMessageID()).doesNotHaveDuplicates();

        // replies while both nodes run
        for (MimeMessage handOff : handOffs.subList(0, casesBefore)) {
            replyIds.add(reply(handOff));
        }
        await("replies taken").atMost(WAIT).until(() -> processed(db, replyIds) == replyIds.size());
        a.close();
        a = null;
        int firedOnBBefore = nodes.get("b").fired.get();
        // replies once node a has stopped: node b reads them alone
        List<String> later = new ArrayList<>();
        for (MimeMessage handOff : handOffs.subList(casesBefore, handOffs.size())) {
            later.add(reply(handOff));
        }
        replyIds.addAll(later);
        await("node b read the later replies").atMost(WAIT).until(() -> processed(db, replyIds) == replyIds.size());

        Map<String, List<String>> handledBy = new HashMap<>();
        nodes.values().forEach(n -> n.mails.forEach(id -> handledBy.computeIfAbsent(id, k -> new ArrayList<>()).add(n.name)));
        for (String id : replyIds) {
            assertThat(handledBy.get(id)).as("reply %s fetched by exactly one node, once", id).hasSize(1);
        }
        for (String id : later) {
            assertThat(handledBy.get(id)).as("read by b once a stopped").containsExactly("b");
        }
        // the move to Processed follows the commit of the reply's effects, so the last one may still be on its way
        await("every reply moved to Processed").atMost(WAIT).until(() ->
                mailClient.messages(HUB, "Processed", m -> replyIds.contains(messageId(m))).size() >= replyIds.size());
        assertThat(mailClient.messages(HUB, "Processed", m -> replyIds.contains(messageId(m))))
                .as("each reply in Processed once: no copies").extracting(TwoHubsTest::messageId)
                .hasSize(replyIds.size()).doesNotHaveDuplicates();
        assertThat(nodes.get("b").fired.get()).as("node b polled after a stopped").isGreaterThan(firedOnBBefore);
        List<Poll> polls = new ArrayList<>();
        nodes.values().forEach(n -> polls.addAll(n.polls));
        for (Poll p : polls) {
            for (Poll q : polls) {
                if (p != q && !p.node.equals(q.node)) {
                    assertThat(p.end < q.start || q.end < p.start).as("polls of %s and %s overlap", p, q).isTrue();
                }
            }
        }
        System.out.printf("Mailbox polls: %d on a, %d on b; replies fetched: %d by a, %d by b%n",
                nodes.get("a").fired.get(), nodes.get("b").fired.get(), nodes.get("a").mails.size(), nodes.get("b").mails.size());
    }

    private String reply(MimeMessage handOff) throws Exception {
        MimeMessage reply = Replies.reply(handOff, PRODUCTION, HUB, "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n"
                + "接入点：912东园线 #23杆 T接\n产权分界点：客户进线电缆头\n说明：需新建 10kV 电缆 0.4km。\n" + Replies.TECHNICAL_DETAILS);
        String id = reply.getMessageID();
        mailClient.send(PRODUCTION, reply);
        return id;
    }

    private static int processed(JdbcTemplate db, List<String> replyIds) {
        int n = 0;
        for (String id : replyIds) {
            n += db.queryForObject("select count(*) from unit_mail where message_id like ?", Integer.class,
                    "%" + id.replaceAll("[<>]", "") + "%");
        }
        return n;
    }

    private static String messageId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (Exception e) {
            return null;
        }
    }

    private static String subjectOf(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }

    private static String textOf(MimeMessage m) {
        return MailClient.textOf(m);
    }

    /** Status rows {@code <run>-g<group>-<seq>}, seq 0 of every group first; {@code liveClaim}: one row claimed by another live node. */
    private void insertStatusRows(String run, int groups, int perGroup, String claimedBy, OffsetDateTime claimedUntil,
                                  String liveClaim) {
        JdbcTemplate db = a.jdbc();
        List<Object[]> rows = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now();
        for (int i = 0; i < perGroup; i++) {
            for (int g = 0; g < groups; g++) {
                String id = run + "-g" + g + "-" + i;
                String headers = "{\"_AMQ_DUPL_ID\":\"" + id + "\",\"yk_test_run\":\"" + run + "\"}";
                String payload = "{\"messageId\":\"" + id + "\",\"group\":" + g + ",\"seq\":" + i + "}";
                boolean live = id.equals(liveClaim);
                rows.add(new Object[] {"billing-status", id, run + "-g" + g, headers, payload, now,
                        live ? "other-node" : claimedBy, live ? now.plusMinutes(10) : claimedUntil});
            }
        }
        db.batchUpdate("insert into outbox (channel, message_id, group_key, headers, payload, created_at, claimed_by, claimed_until)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?)", rows);
    }

    private static int pending(JdbcTemplate db, String run) {
        return db.queryForObject("select count(*) from outbox where message_id like ? and sent_at is null", Integer.class, run + "%");
    }

    private static int pendingGroup(JdbcTemplate db, String run, int group) {
        return db.queryForObject("select count(*) from outbox where group_key = ? and sent_at is null", Integer.class,
                run + "-g" + group);
    }

    private List<JsonNode> receiveStatus(String run, int count) {
        try (BillingClient billing = new BillingClient(brokerUrl)) {
            List<JsonNode> got = billing.await("yk.billing.status", "yk_test_run = '" + run + "'", count, WAIT);
            got.addAll(billing.await("yk.billing.status", "yk_test_run = '" + run + "'", 1, Duration.ofSeconds(2)));
            return got;
        }
    }

    private static void assertInGroupOrder(List<JsonNode> received, int groups, int perGroup) {
        for (int g = 0; g < groups; g++) {
            int group = g;
            List<Integer> seq = received.stream().filter(m -> m.get("group").asInt() == group).map(m -> m.get("seq").asInt()).toList();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perGroup; i++) {
                expected.add(i);
            }
            assertThat(seq).as("group %d in creation order", g).containsExactlyElementsOf(expected);
        }
    }

    /** A mailbox poll of one node, in this JVM's nanoseconds. */
    record Poll(String node, long start, long end) {
    }

    /** What one node did: the polls the clustered trigger ran there, the mails it fetched (by Message-ID). */
    static final class Node {
        final String name;
        final List<Poll> polls = new CopyOnWriteArrayList<>();
        final List<String> mails = new CopyOnWriteArrayList<>();
        final Map<String, Long> started = new ConcurrentHashMap<>();
        final AtomicInteger fired = new AtomicInteger();

        Node(String name) {
            this.name = name;
        }

        static Node on(String name, RunningHub hub) throws Exception {
            Node node = new Node(name);
            hub.bean(Scheduler.class).getListenerManager().addJobListener(new JobListenerSupport() {
                @Override
                public String getName() {
                    return "polls-" + name;
                }

                @Override
                public void jobToBeExecuted(JobExecutionContext context) {
                    if ("unit-replies".equals(context.getTrigger().getKey().getName())) {
                        node.fired.incrementAndGet();
                        node.started.put(context.getFireInstanceId(), System.nanoTime());
                    }
                }

                @Override
                public void jobWasExecuted(JobExecutionContext context, JobExecutionException e) {
                    Long start = node.started.remove(context.getFireInstanceId());
                    if (start != null) {
                        node.polls.add(new Poll(name, start, System.nanoTime()));
                    }
                }
            });
            CamelContext camel = hub.bean(CamelContext.class);
            camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) throws Exception {
                    if (event instanceof CamelEvent.ExchangeCreatedEvent created
                            && "unit-replies".equals(created.getExchange().getFromRouteId())
                            && created.getExchange().getIn() instanceof MailMessage m) {
                        node.mails.add(m.getOriginalMessage().getHeader("Message-ID")[0]);
                    }
                }
            });
            return node;
        }
    }
}
