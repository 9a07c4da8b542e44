package cn.yekuo.hub.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.Outboxes;
import cn.yekuo.hub.support.RunningHub;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.junit.jupiter.api.Test;

/**
 * The routes' {@code transacted: {}} joins the one transaction of its exchange (Camel's {@code PROPAGATION_REQUIRED}
 * bean), and only the mail relay's and the issuer's per-item steps take a second connection. When the mail relay's
 * REQUIRES_NEW policy was the only policy bean, every {@code transacted: {}} resolved to it: the relays and the
 * issuer held three or four connections each and the pool of ten ran dry under load (intake fell to 0.5/s).
 * A hub with a pool of four connections must take a burst of applications through intake, issuer and relays.
 *
 * <p>Each of the two intake consumers and the two issuer threads holds one connection while it works, the mail and
 * status relays one each: six wanting one at the same moment from a pool of four. None holds one while waiting for a
 * second, so they take turns (Hikari's connection-timeout) instead of starving one another, and nothing is lost.
 */
class ConnectionBudgetTest {

    private static final int APPLICATIONS = 40;
    private static final int BROKER = Integer.getInteger("yk.test.budget-broker-port", 61623);

    @Test
    void a_burst_of_applications_passes_with_four_database_connections() {
        try (RunningHub hub = RunningHub.start(RunningHub.newDataDir("connection-budget"), BROKER, Map.of(
                "spring.datasource.hikari.maximum-pool-size", "4",
                "yk.intake.consumers", "2",
                "yk.documents.issuer-threads", "2"));
             BillingClient billing = new BillingClient("tcp://127.0.0.1:" + BROKER)) {
            List<String> applications = new ArrayList<>();
            for (int i = 0; i < APPLICATIONS; i++) {
                ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
                applications.add(app.get("applicationNo").asText());
                billing.sendApplication(app.toString());
            }
            for (String applicationNo : applications) {
                assertThat(billing.awaitStatus(applicationNo, 1, Duration.ofMinutes(3)))
                        .as("the first status message of " + applicationNo).singleElement()
                        .satisfies(status -> assertThat(status.get("stage").asText()).isEqualTo("RECEIVED"));
            }
            // the intake documents are issued and mailed to the customers by the issuer and the mail relay
            Outboxes.awaitChannelDelivered(hub.jdbc(), Outbox.DOCUMENT, Duration.ofMinutes(3));
            Outboxes.awaitChannelDelivered(hub.jdbc(), Outbox.MAIL, Duration.ofMinutes(3));
            assertThat(hub.jdbc().queryForObject("select count(*) from outbox where dead_at is not null", Integer.class))
                    .as("nothing set aside").isZero();
            SpringTransactionPolicy required = hub.bean(CamelContext.class).getRegistry()
                    .lookupByNameAndType("PROPAGATION_REQUIRED", SpringTransactionPolicy.class);
            assertThat(required.getPropagationBehaviorName()).isEqualTo("PROPAGATION_REQUIRED");
        }
    }
}
