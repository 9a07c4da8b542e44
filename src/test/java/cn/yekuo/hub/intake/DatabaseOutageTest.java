package cn.yekuo.hub.intake;

import static cn.yekuo.hub.support.BillingClient.uniqueExample;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * A database outage of a minute loses nothing: the hub talks to H2 over TCP, the test stops the database
 * server, sends an application, waits a minute and starts the server again.
 */
class DatabaseOutageTest {

    static final int DB_PORT = 19092;
    static final Duration OUTAGE = Duration.ofSeconds(60);

    @Test
    void an_application_sent_during_a_one_minute_database_outage_is_processed_when_the_database_returns() throws Exception {
        Path data = RunningHub.newDataDir("db-outage");
        String baseDir = data.resolve("h2").toAbsolutePath().toString();
        Server database = Server.createTcpServer("-tcpPort", String.valueOf(DB_PORT), "-ifNotExists", "-baseDir", baseDir).start();
        Map<String, Object> overTcp = Map.of("spring.datasource.url", "jdbc:h2:tcp://127.0.0.1:" + DB_PORT + "/hub");
        try (RunningHub hub = RunningHub.start(data, 61655, overTcp);
             BillingClient billing = new BillingClient("tcp://127.0.0.1:61655")) {
            database.stop();

            ObjectNode app = uniqueExample("application-new-install.json");
            String applicationNo = app.get("applicationNo").asText();
            billing.sendApplication(app.toString());
            assertThat(billing.awaitStatus(applicationNo, 1, OUTAGE)).as("nothing can be decided while the database is down").isEmpty();
            assertThat(billing.awaitDeadLetters("yk_error_code IS NOT NULL", 1, Duration.ofMillis(200)))
                    .as("the message is not dead-lettered during the outage").isEmpty();

            database = Server.createTcpServer("-tcpPort", String.valueOf(DB_PORT), "-ifNotExists", "-baseDir", baseDir).start();
            List<JsonNode> status = billing.awaitStatusExactly(applicationNo, 3, Duration.ofSeconds(90), Duration.ofSeconds(2));
            assertThat(IntakeContractTest.stages(status)).containsExactly("RECEIVED", "ACCEPTED", "SCHEME");
        } finally {
            database.stop();
        }
    }
}
