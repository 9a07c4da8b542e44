package cn.yekuo.hub.intake;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.RequiresPostgres;
import cn.yekuo.hub.support.TestPorts;

/**
 * The same intake contract on PostgreSQL, in a schema of its own per test run (Flyway creates it), with its
 * own broker port so it can live beside the H2 hub in one JVM.
 */
@HubTest
@RequiresPostgres
class IntakeOnPostgresTest extends IntakeContractTest {

    static final String SCHEMA = "yk_test_" + System.getProperty("yk.test.run", "local").replaceAll("\\W", "");

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> RequiresPostgres.URL + "?currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> RequiresPostgres.USER);
        registry.add("spring.datasource.password", () -> RequiresPostgres.PASSWORD);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("yk.broker.acceptor", () -> "tcp://127.0.0.1:" + (TestPorts.BROKER + 10) + "?protocols=CORE,AMQP,STOMP,OPENWIRE");
        // its own mail server ports: the H2 hub of the other test classes keeps its server running in this JVM
        registry.add("yk.mail.smtp-port", () -> TestPorts.SMTP + 10);
        registry.add("yk.mail.imap-port", () -> TestPorts.IMAP + 10);
        registry.add("yk.data-dir", () -> "target/test-data/" + System.getProperty("yk.test.run", "local") + "/hub-postgres");
    }
}
