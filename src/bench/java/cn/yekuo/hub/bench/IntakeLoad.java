package cn.yekuo.hub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.HdrHistogram.Histogram;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import cn.yekuo.hub.support.BillingClient;

/**
 * Sends applications to a queue and times each one from its intended send time to the moment it is done ({@link Done}:
 * its status messages on the status queue, property {@code applicationNo}, and its case's mails stored by the mail
 * server, case number from the status messages' {@code caseNo}). Open loop: message i is due at {@code start + i / rate}; when the
 * sender falls behind, the latency still counts from the due time (no coordinated omission). Rate 0 = as fast as the
 * sender goes (the due time is then the moment just before the send).
 */
final class IntakeLoad {

    record Outcome(int sent, int completed, double perSecond, Histogram latencyMicros, double seconds) {
        double p50Ms() {
            return latencyMicros.getValueAtPercentile(50) / 1000.0;
        }

        double p99Ms() {
            return latencyMicros.getValueAtPercentile(99) / 1000.0;
        }
    }

    /**
     * When an application is done: {@code statuses} status messages about it received and {@code mails} mails of its
     * case stored by the mail server ({@code watch}; none without it).
     */
    record Done(int statuses, int mails, MailWatch watch) {
        /** The first status message: what the raw reference ceiling does at all. */
        static final Done FIRST_STATUS = new Done(1, 0, null);

        /**
         * All of an accepted application's work: RECEIVED, ACCEPTED and SCHEME received by billing, both scheme
         * hand-offs and the contact card's mail stored by the mail server.
         */
        static Done allWork(MailWatch watch) {
            return new Done(3, 3, watch);
        }
    }

    /** One application in flight: due time, what has arrived of it. */
    private static final class Pending {
        final long due;
        int statuses;
        String caseNo;
        boolean done;

        Pending(long due) {
            this.due = due;
        }
    }

    private IntakeLoad() {
    }

    static List<String> applications(int n) {
        List<String> bodies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode node = BillingClient.uniqueExample("application-new-install.json");
            node.put("messageId", UUID.randomUUID().toString());
            node.put("applicationNo", "SG186-B-" + UUID.randomUUID().toString().substring(0, 18));
            bodies.add(node.toString());
        }
        return bodies;
    }

    static Outcome run(String brokerUrl, String user, String password, String inQueue, String statusQueue,
                       List<String> bodies, double rate, long timeoutSeconds) throws Exception {
        return run(brokerUrl, user, password, inQueue, statusQueue, bodies, rate, timeoutSeconds, Done.FIRST_STATUS);
    }

    static Outcome run(String brokerUrl, String user, String password, String inQueue, String statusQueue,
                       List<String> bodies, double rate, long timeoutSeconds, Done when) throws Exception {
        Map<String, Pending> due = new ConcurrentHashMap<>();
        Map<String, Pending> byCase = new ConcurrentHashMap<>();
        // mails may be stored before billing has the status message that names their case
        Map<String, Integer> mailsByCase = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(3_600_000_000L, 3);
        CountDownLatch done = new CountDownLatch(bodies.size());
        AtomicLong lastCompletion = new AtomicLong();

        ActiveMQConnectionFactory receiveFactory = new ActiveMQConnectionFactory(brokerUrl, user, password);
        ActiveMQConnectionFactory sendFactory = new ActiveMQConnectionFactory(brokerUrl, user, password);
        // persistent messages, but the sender does not wait for each journal write (a batch sender's behaviour)
        sendFactory.setBlockOnDurableSend(false);
        try (Connection rc = receiveFactory.createConnection(); Connection sc = sendFactory.createConnection()) {
            Session rs = rc.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            MessageConsumer consumer = rs.createConsumer(rs.createQueue(statusQueue));
            java.util.function.Consumer<Pending> check = p -> {
                synchronized (p) {
                    int mails = p.caseNo == null ? 0 : mailsByCase.getOrDefault(p.caseNo, 0);
                    if (p.done || p.statuses < when.statuses() || mails < when.mails()) {
                        return;
                    }
                    p.done = true;
                }
                long now = System.nanoTime();
                synchronized (latency) {
                    latency.recordValue(Math.max(1, (now - p.due) / 1000));
                }
                lastCompletion.set(now);
                done.countDown();
            };
            if (when.watch() != null) {
                when.watch().to(caseNo -> {
                    mailsByCase.merge(caseNo, 1, Integer::sum);
                    Pending p = byCase.get(caseNo);
                    if (p != null) {
                        check.accept(p);
                    }
                });
            }
            consumer.setMessageListener(m -> {
                try {
                    String app = m.getStringProperty("applicationNo");
                    Pending p = app == null ? null : due.get(app);
                    if (p != null) {
                        synchronized (p) {
                            p.statuses++;
                            if (p.caseNo == null && m.getStringProperty("caseNo") != null) {
                                p.caseNo = m.getStringProperty("caseNo");
                                byCase.put(p.caseNo, p);
                            }
                        }
                        check.accept(p);
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            rc.start();
            Session ss = sc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ss.createProducer(ss.createQueue(inQueue));
            long start = System.nanoTime();
            for (int i = 0; i < bodies.size(); i++) {
                String body = bodies.get(i);
                long dueAt;
                if (rate > 0) {
                    dueAt = start + (long) (i * 1e9 / rate);
                    long wait = dueAt - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                } else {
                    dueAt = System.nanoTime();
                }
                String app = body.substring(body.indexOf("\"applicationNo\":\"") + 17);
                app = app.substring(0, app.indexOf('"'));
                due.put(app, new Pending(dueAt));
                producer.send(ss.createTextMessage(body));
            }
            boolean all = done.await(timeoutSeconds, TimeUnit.SECONDS);
            int completed = bodies.size() - (int) done.getCount();
            long end = all ? lastCompletion.get() : System.nanoTime();
            double seconds = (end - start) / 1e9;
            consumer.close();
            if (when.watch() != null) {
                when.watch().to(caseNo -> { });
            }
            return new Outcome(bodies.size(), completed, completed / seconds, latency, seconds);
        }
    }

    /** Waits until a queue is drained of stray status messages from an earlier phase (reads and drops them). */
    static int drain(String brokerUrl, String user, String password, String queue) throws Exception {
        int n = 0;
        try (Connection c = new ActiveMQConnectionFactory(brokerUrl, user, password).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            try (MessageConsumer consumer = s.createConsumer(s.createQueue(queue))) {
                while (consumer.receive(300) != null) {
                    n++;
                }
            }
        }
        return n;
    }
}
