package cn.yekuo.hub.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubProcess;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * kill -9 drill under load (issue 15, item 4): billing sends persistent applications to the hub's embedded broker,
 * the hub (its own JVM, broker included) is killed when some but not all cases exist, and started again on the same
 * data directory. Every application whose send returned is answered exactly once: one case, and on
 * {@code yk.billing.status} exactly RECEIVED, ACCEPTED, SCHEME, no messageId twice.
 */
abstract class KillUnderLoadContract {

    static final int APPLICATIONS = 300;
    static final Duration START = Duration.ofSeconds(150);
    static final List<String> ANSWER = List.of("RECEIVED", "ACCEPTED", "SCHEME");

    /** The case store the hub process uses (empty map: its embedded H2 under the data directory). */
    abstract Map<String, String> database(String name);

    @Test
    void every_application_billing_sent_is_answered_exactly_once_after_a_kill_minus_9_mid_way() throws Exception {
        Path work = HubProcess.newWorkDir("kill-under-load");
        int brokerPort = RunningHub.freePort();
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        Map<String, String> args = new HashMap<>(database("kill_load"));
        args.put("yk.broker.acceptor", brokerUrl + "?protocols=CORE");
        // the intake alone: the PDFs and mails of the contact cards are the mid-lifecycle drill's
        args.put("yk.documents.issuer-enabled", "false");

        Map<String, String> applications = new LinkedHashMap<>();
        for (int i = 0; i < APPLICATIONS; i++) {
            ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
            applications.put(app.get("applicationNo").asText(), app.toString());
        }
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> unsure = ConcurrentHashMap.newKeySet();

        long casesAtKill;
        try (HubProcess hub = HubProcess.classpath(work, args).awaitHealthy(START)) {
            RepClient rep = new RepClient(hub.httpPort(), "rep", "rep");
            Thread billing = new Thread(() -> send(brokerUrl, applications, sent, unsure), "billing");
            billing.start();
            casesAtKill = await("some cases exist").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> cases(rep), n -> n >= APPLICATIONS / 6);
            hub.kill();
            billing.join(30_000);
            assertThat(billing.isAlive()).isFalse();
        }
        assertThat(casesAtKill).as("killed mid-way: some but not all cases existed").isLessThan(APPLICATIONS);

        try (HubProcess hub = HubProcess.classpath(work, args).awaitHealthy(START);
             BillingClient billing = new BillingClient(brokerUrl)) {
            int expected = ANSWER.size() * sent.size();
            List<JsonNode> status = billing.await("yk.billing.status", null, expected, Duration.ofSeconds(120));
            status.addAll(billing.await("yk.billing.status", null, Integer.MAX_VALUE, Duration.ofSeconds(3)));

            Map<String, List<String>> stages = new HashMap<>();
            List<String> messageIds = new ArrayList<>();
            for (JsonNode m : status) {
                assertThat(m.get("type").asText()).as("no rejection: %s", m).isEqualTo("CaseStatusChanged");
                stages.computeIfAbsent(m.get("applicationNo").asText(), k -> new ArrayList<>()).add(m.get("stage").asText());
                messageIds.add(m.get("messageId").asText());
            }
            assertThat(messageIds).as("no status message twice").doesNotHaveDuplicates();
            List<String> lost = sent.stream().filter(a -> !stages.containsKey(a)).sorted().toList();
            assertThat(lost).as("sent by billing, never answered (cases at kill: %d)", casesAtKill).isEmpty();
            for (String applicationNo : sent) {
                assertThat(stages.get(applicationNo)).as(applicationNo).containsExactlyElementsOf(ANSWER);
            }
            // a send cut off by the kill may or may not have reached the journal: if it did, it is answered once
            for (String applicationNo : unsure) {
                assertThat(stages.getOrDefault(applicationNo, ANSWER)).as(applicationNo).containsExactlyElementsOf(ANSWER);
            }
            assertThat(stages.keySet()).as("nothing answered that billing did not send").isSubsetOf(applications.keySet());
            RepClient rep = new RepClient(hub.httpPort(), "rep", "rep");
            assertThat(cases(rep)).as("one case per answered application").isEqualTo(stages.size());
        }
    }

    /** Billing sends the applications one by one (persistent, each send returns once the broker stored it). */
    private static void send(String brokerUrl, Map<String, String> applications, Set<String> sent, Set<String> unsure) {
        try (BillingClient billing = new BillingClient(brokerUrl)) {
            for (Map.Entry<String, String> app : applications.entrySet()) {
                try {
                    billing.sendApplication(app.getValue());
                    sent.add(app.getKey());
                } catch (IllegalStateException brokerGone) {
                    unsure.add(app.getKey());
                    return;
                }
            }
        }
    }

    static long cases(RepClient rep) {
        return rep.json("/api/cases?size=1").get("total").asLong();
    }
}
