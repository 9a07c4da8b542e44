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
 * Sends applications to a queue and times each one from its intended send time to the first status message about it
 * (property {@code applicationNo}) on the status queue. Open loop: message i is due at {@code start + i / rate}; when the
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
        Map<String, Long> due = new ConcurrentHashMap<>();
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
            consumer.setMessageListener(m -> {
                try {
                    String app = m.getStringProperty("applicationNo");
                    Long t = app == null ? null : due.remove(app);
                    if (t != null) {
                        long now = System.nanoTime();
                        synchronized (latency) {
                            latency.recordValue(Math.max(1, (now - t) / 1000));
                        }
                        lastCompletion.set(now);
                        done.countDown();
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
                due.put(app, dueAt);
                producer.send(ss.createTextMessage(body));
            }
            boolean all = done.await(timeoutSeconds, TimeUnit.SECONDS);
            int completed = bodies.size() - (int) done.getCount();
            long end = all ? lastCompletion.get() : System.nanoTime();
            double seconds = (end - start) / 1e9;
            consumer.close();
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
