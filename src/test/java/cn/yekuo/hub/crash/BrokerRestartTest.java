package cn.yekuo.hub.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.BrokerProcess;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * The hub's external broker is killed while applications are being processed and started again on its journal: the
 * hub shows {@code jms} DOWN meanwhile, reconnects by itself, and every application is answered exactly once.
 */
class BrokerRestartTest {

    static final List<String> ANSWER = List.of("RECEIVED", "ACCEPTED", "SCHEME");
    static final int BEFORE = 300;
    static final int AFTER = 20;

    @Test
    void the_hub_reconnects_to_a_restarted_broker_and_answers_every_application_once() throws Exception {
        Path brokerData = RunningHub.newDataDir("broker-restart-broker");
        int brokerPort = RunningHub.freePort();
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        int http = RunningHub.freePort();
        Map<String, Object> external = new HashMap<>();
        external.put("yk.broker.embedded", "false");
        external.put("yk.broker.url", brokerUrl);
        external.put("yk.broker.user", "hub");
        external.put("yk.broker.password", "hub-secret");
        external.put("server.port", String.valueOf(http));
        // the intake alone: no PDFs to render
        external.put("yk.documents.issuer-enabled", "false");
        Map<String, String> applications = new ConcurrentHashMap<>();

        BrokerProcess broker = BrokerProcess.start(brokerData, brokerPort, "hub-secret");
        try (RunningHub hub = RunningHub.start(RunningHub.newDataDir("broker-restart-hub"), RunningHub.freePort(), external)) {
            RepClient rep = new RepClient(http, "rep", "rep");
            List<String> unsent = new ArrayList<>();
            Thread sender = new Thread(() -> send(brokerUrl, BEFORE, applications, unsent), "billing");
            sender.start();
            long casesAtKill = await("applications flowing").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> KillUnderLoadContract.cases(rep), n -> n >= 10);
            broker.kill();
            sender.join(30_000);
            assertThat(casesAtKill).as("killed while applications were being processed").isLessThan(applications.size());
            await("health shows the broker down").atMost(Duration.ofSeconds(30))
                    .until(() -> jms(http).equals("DOWN"));
            assertThat(health(http).statusCode()).isEqualTo(503);

            broker = BrokerProcess.start(brokerData, brokerPort, "hub-secret");
            await("health shows the broker up again").atMost(Duration.ofSeconds(60))
                    .until(() -> jms(http).equals("UP"));
            try (BillingClient billing = new BillingClient(brokerUrl)) {
                // billing sends again what it could not be sure of (same messageId: the hub does it once), then more
                unsent.forEach(billing::sendApplication);
                send(billing, AFTER, applications);
                List<JsonNode> status = billing.await("yk.billing.status", null, ANSWER.size() * applications.size(),
                        Duration.ofSeconds(90));
                status.addAll(billing.await("yk.billing.status", null, Integer.MAX_VALUE, Duration.ofSeconds(3)));

                Map<String, List<String>> stages = new HashMap<>();
                List<String> messageIds = new ArrayList<>();
                for (JsonNode m : status) {
                    assertThat(m.get("type").asText()).as("no rejection: %s", m).isEqualTo("CaseStatusChanged");
                    stages.computeIfAbsent(m.get("applicationNo").asText(), k -> new ArrayList<>()).add(m.get("stage").asText());
                    messageIds.add(m.get("messageId").asText());
                }
                assertThat(messageIds).as("no status message twice").doesNotHaveDuplicates();
                assertThat(stages.keySet()).as("every application answered")
                        .containsExactlyInAnyOrderElementsOf(applications.keySet());
                stages.forEach((applicationNo, got) -> assertThat(got).as(applicationNo).containsExactlyElementsOf(ANSWER));
            }
            assertThat(KillUnderLoadContract.cases(rep)).as("one case per application").isEqualTo(applications.size());
            assertThat(hub.jdbc().queryForObject(
                    "select count(*) from outbox where channel = 'billing-status' and sent_at is null", Integer.class))
                    .as("status messages all sent").isZero();
        } finally {
            broker.close();
        }
    }

    private static void send(BillingClient billing, int count, Map<String, String> applications) {
        for (int i = 0; i < count; i++) {
            ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
            billing.sendApplication(app.toString());
            applications.put(app.get("applicationNo").asText(), app.toString());
        }
    }

    /** Billing sends until the broker goes away; the send cut off is kept to be sent again. */
    private static void send(String brokerUrl, int count, Map<String, String> applications, List<String> unsent) {
        try (BillingClient billing = new BillingClient(brokerUrl)) {
            for (int i = 0; i < count; i++) {
                ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
                applications.put(app.get("applicationNo").asText(), app.toString());
                try {
                    billing.sendApplication(app.toString());
                } catch (IllegalStateException brokerGone) {
                    unsent.add(app.toString());
                    return;
                }
            }
        }
    }

    private static HttpResponse<String> health(int http) {
        return RepClient.anonymous(http).get("/actuator/health", "*/*");
    }

    /** The {@code jms} component of the open health endpoint. */
    private static String jms(int http) throws Exception {
        return BillingClient.JSON.readTree(health(http).body()).path("components").path("jms").path("status").asText();
    }
}
