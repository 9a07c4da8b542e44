package cn.yekuo.hub.intake;

import static cn.yekuo.hub.support.BillingClient.uniqueExample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.broker.EmbeddedBroker;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.RunningHub;

/** What happens across a stop and a start: nothing committed is lost, nothing is done twice. */
class HubRestartTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void applications_waiting_in_the_embedded_journal_are_processed_after_the_hub_starts_again() {
        Path data = RunningHub.newDataDir("restart-journal");
        ObjectNode app = uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        try (RunningHub hub = RunningHub.start(data, 61651, Map.of("yk.intake.enabled", "false"));
             BillingClient billing = new BillingClient("tcp://127.0.0.1:61651")) {
            billing.sendApplication(app.toString());
            assertThat(billing.awaitStatus(applicationNo, 1, Duration.ofSeconds(2))).as("intake is stopped").isEmpty();
        }
        try (RunningHub hub = RunningHub.start(data, 61651, Map.of());
             BillingClient billing = new BillingClient("tcp://127.0.0.1:61651")) {
            List<JsonNode> status = billing.awaitStatusExactly(applicationNo, 3, WAIT, Duration.ofSeconds(2));
            assertThat(IntakeContractTest.stages(status)).containsExactly("RECEIVED", "ACCEPTED", "SCHEME");
        }
    }

    @Test
    void messages_sent_to_an_external_broker_while_the_hub_is_down_are_processed_when_it_starts() throws Exception {
        Path brokerData = RunningHub.newDataDir("external-broker");
        HubProperties.Broker settings = new HubProperties.Broker(true, "tcp://127.0.0.1:61652?protocols=CORE,AMQP,STOMP,OPENWIRE",
                null, "hub", "hub-secret", "billing", "billing", Duration.ofSeconds(1), Duration.ofSeconds(10), 1_048_576);
        EmbeddedBroker external = new EmbeddedBroker(settings, brokerData, "hub-secret");
        external.start();
        try {
            ObjectNode app = uniqueExample("application-new-install.json");
            String applicationNo = app.get("applicationNo").asText();
            try (BillingClient billing = new BillingClient("tcp://127.0.0.1:61652")) {
                billing.sendApplication(app.toString()); // the hub is not running yet
            }
            Map<String, Object> externalBroker = Map.of(
                    "yk.broker.embedded", "false",
                    "yk.broker.url", "tcp://127.0.0.1:61652",
                    "yk.broker.user", "hub",
                    "yk.broker.password", "hub-secret");
            try (RunningHub hub = RunningHub.start(RunningHub.newDataDir("external-hub"), 61653, externalBroker);
                 BillingClient billing = new BillingClient("tcp://127.0.0.1:61652")) {
                List<JsonNode> status = billing.awaitStatusExactly(applicationNo, 3, WAIT, Duration.ofSeconds(2));
                assertThat(IntakeContractTest.stages(status)).containsExactly("RECEIVED", "ACCEPTED", "SCHEME");
            }
        } finally {
            external.stop();
        }
    }

    @Test
    void status_messages_committed_but_not_published_before_a_stop_are_published_once_after_restart() {
        Path data = RunningHub.newDataDir("restart-outbox");
        ObjectNode app = uniqueExample("application-capacity-increase-missing-materials.json");
        String applicationNo = app.get("applicationNo").asText();
        // the outbox relay is off: the state a crash right after commit leaves behind
        try (RunningHub hub = RunningHub.start(data, 61654, Map.of("yk.outbox.enabled", "false"));
             BillingClient billing = new BillingClient("tcp://127.0.0.1:61654")) {
            billing.sendApplication(app.toString());
            await().atMost(WAIT).until(() -> hub.jdbc().queryForObject(
                    "select count(*) from outbox where channel = 'billing-status' and sent_at is null", Integer.class) == 2);
            assertThat(billing.awaitStatus(applicationNo, 1, Duration.ofSeconds(1))).isEmpty();
        }
        try (RunningHub hub = RunningHub.start(data, 61654, Map.of());
             BillingClient billing = new BillingClient("tcp://127.0.0.1:61654")) {
            List<JsonNode> status = billing.awaitStatusExactly(applicationNo, 2, WAIT, Duration.ofSeconds(2));
            assertThat(IntakeContractTest.stages(status)).containsExactly("RECEIVED", "AWAITING_MATERIALS");
            assertThat(hub.jdbc().queryForObject("select count(*) from outbox where channel = 'billing-status' and sent_at is null",
                    Integer.class)).isZero();
            assertThat(hub.jdbc().queryForObject("select count(*) from yk_case", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void a_document_requested_but_not_issued_before_a_stop_is_issued_once_after_restart() {
        Path data = RunningHub.newDataDir("restart-documents");
        ObjectNode app = uniqueExample("application-capacity-increase-missing-materials.json");
        String applicationNo = app.get("applicationNo").asText();
        // the document issuer is off: the state a crash right after the intake commit leaves behind
        try (RunningHub hub = RunningHub.start(data, 61654, Map.of("yk.documents.issuer-enabled", "false"));
             BillingClient billing = new BillingClient("tcp://127.0.0.1:61654")) {
            billing.sendApplication(app.toString());
            await().atMost(WAIT).until(() -> hub.jdbc().queryForObject(
                    "select count(*) from outbox where channel = 'document' and sent_at is null", Integer.class) == 1);
            assertThat(hub.jdbc().queryForObject("select count(*) from case_document", Integer.class)).isZero();
        }
        try (RunningHub hub = RunningHub.start(data, 61654, Map.of())) {
            await().atMost(WAIT).until(() -> hub.jdbc().queryForObject(
                    "select count(*) from outbox where channel = 'document' and sent_at is null", Integer.class) == 0);
            assertThat(hub.jdbc().queryForList("select type from case_document", String.class))
                    .containsExactly("MATERIALS_NOTICE");
            assertThat(hub.jdbc().queryForObject("select count(*) from case_timeline where kind = 'DOCUMENT_ISSUED'",
                    Integer.class)).isEqualTo(1);
        }
    }
}
