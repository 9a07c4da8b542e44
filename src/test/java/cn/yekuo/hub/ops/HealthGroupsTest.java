package cn.yekuo.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.BrokerProcess;
import cn.yekuo.hub.support.DatabaseProcess;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * The probes of docs/operations.md on a hub with an external broker and a database server over TCP (each a JVM of its own): readiness
 * goes DOWN (503) while the broker is killed and while the database is stopped, and UP again when they return;
 * liveness stays UP (200) all along, so neither outage makes an orchestrator restart the hub. A mail server outage
 * shows in /actuator/health only.
 */
class HealthGroupsTest {

    @Test
    void readiness_follows_the_broker_and_the_database_while_liveness_stays_up() throws Exception {
        Path data = RunningHub.newDataDir("health-groups");
        int brokerPort = RunningHub.freePort();
        int dbPort = RunningHub.freePort();
        int http = RunningHub.freePort();
        Path baseDir = data.resolve("h2");
        DatabaseProcess database = DatabaseProcess.start(baseDir, dbPort);
        Map<String, Object> props = new HashMap<>();
        props.put("spring.datasource.url", "jdbc:h2:tcp://127.0.0.1:" + dbPort + "/hub");
        props.put("yk.broker.embedded", "false");
        props.put("yk.broker.url", "tcp://127.0.0.1:" + brokerPort);
        props.put("yk.broker.password", "hub-secret");
        props.put("server.port", String.valueOf(http));
        props.put("yk.documents.issuer-enabled", "false");
        BrokerProcess broker = BrokerProcess.start(data.resolve("broker"), brokerPort, "hub-secret");
        try (RunningHub hub = RunningHub.start(data.resolve("hub"), RunningHub.freePort(), props)) {
            await("ready").atMost(Duration.ofSeconds(60)).until(() -> status(http, "readiness") == 200);
            assertThat(status(http, "liveness")).isEqualTo(200);

            broker.kill();
            await("not ready without the broker").atMost(Duration.ofSeconds(60)).until(() -> status(http, "readiness") == 503);
            assertThat(component(http, "readiness", "jms")).isEqualTo("DOWN");
            assertThat(status(http, "liveness")).as("alive: no reason to restart").isEqualTo(200);

            broker = BrokerProcess.start(data.resolve("broker"), brokerPort, "hub-secret");
            await("ready again").atMost(Duration.ofSeconds(60)).until(() -> status(http, "readiness") == 200);

            database.stop();
            await("not ready without the database").atMost(Duration.ofSeconds(60)).until(() -> status(http, "readiness") == 503);
            assertThat(component(http, "readiness", "db")).isEqualTo("DOWN");
            assertThat(status(http, "liveness")).as("alive: no reason to restart").isEqualTo(200);

            database = DatabaseProcess.start(baseDir, dbPort);
            // the pool and the routes' consumers find the database again at their own pace (up to a minute on a loaded
            // machine); the bound only says how long to wait at most
            await("ready again").atMost(Duration.ofSeconds(120)).until(() -> status(http, "readiness") == 200);
        } finally {
            broker.close();
            database.stop();
        }
    }

    @Test
    void a_mail_server_outage_shows_in_health_but_leaves_the_node_ready_and_alive() throws Exception {
        int http = RunningHub.freePort();
        // real-server settings pointing at ports where nothing listens: SMTP and IMAP are down from the start
        Map<String, Object> props = new HashMap<>(cn.yekuo.hub.replies.UnitMailOutageTest.externalMail(
                RunningHub.freePort(), RunningHub.freePort(), true));
        props.put("server.port", String.valueOf(http));
        props.put("yk.documents.issuer-enabled", "false");
        try (RunningHub hub = RunningHub.start(RunningHub.newDataDir("health-mail-down"), RunningHub.freePort(), props)) {
            await("ready").atMost(Duration.ofSeconds(60)).until(() -> status(http, "readiness") == 200);
            // the reader's polls fail meanwhile; give them time to be noticed by Camel's consumer health checks
            await("mail DOWN in the whole health").atMost(Duration.ofSeconds(60)).until(() -> "DOWN".equals(
                    BillingClient.JSON.readTree(RepClient.anonymous(http).get("/actuator/health", "*/*").body())
                            .path("components").path("mail").path("status").asText()));
            // the reader polls every 300 ms and fails each time: Camel's consumer health checks see dozens of failures
            await("ready and alive all along").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(30))
                    .until(() -> status(http, "readiness") == 200 && status(http, "liveness") == 200);
        }
    }

    private static int status(int http, String group) {
        return RepClient.anonymous(http).get("/actuator/health/" + group, "*/*").statusCode();
    }

    private static String component(int http, String group, String name) throws Exception {
        JsonNode body = BillingClient.JSON.readTree(RepClient.anonymous(http).get("/actuator/health/" + group, "*/*").body());
        return body.path("components").path(name).path("status").asText();
    }
}
