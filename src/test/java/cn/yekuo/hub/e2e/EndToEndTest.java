package cn.yekuo.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.RunningHub;
import cn.yekuo.hub.support.StatementPlans;

/**
 * The whole story of {@link Lifecycle} on one hub in its embedded default (its own Artemis, H2 and GreenMail),
 * driven only through its outside interfaces: JMS as billing, SMTP/IMAP as the units and the customer, HTTP as a
 * representative, plus the settable clock. The deadline watcher and the monthly check fire every second so that a
 * deadline or a month start the clock passes is seen at once. At the end, the plan of every statement the story ran is
 * checked ({@link StatementPlans}): none reads more as the hub fills up with cases.
 */
class EndToEndTest extends Lifecycle {

    static final int BROKER_PORT = 61761;
    static final int SMTP_PORT = 3762;
    static final int IMAP_PORT = 3763;

    RunningHub hub;
    BillingClient billing;
    RepClient rep;
    MailClient mail;
    MutableClock clock;

    static Map<String, Object> settings(int httpPort) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", String.valueOf(httpPort));
        props.put("yk.test.clock", "mutable");
        props.put("yk.test.clock-start", START.toString());
        props.put("yk.deadlines.cron", "* * * * * ?");
        // the monthly check (daily in production) produces whatever the month owes by the hub's clock (plans at
        // 08:00 on the 1st): every second here, so that the settable clock passing the 1st brings the plans
        props.put("yk.monthly.check-cron", "* * * * * ?");
        props.put("yk.mail.token-secret", SECRET);
        // the story's clock runs days apart from the mail server's: replies count when the hub reads them
        props.put("yk.mail.time-replies-by-arrival", "false");
        props.put("yk.mail.poll-interval", "200ms");
        props.put("yk.mail.relay-interval", "100ms");
        props.put("yk.outbox.poll-millis", "50");
        return props;
    }

    @BeforeEach
    void start() {
        int http = RunningHub.freePort();
        Map<String, Object> props = settings(http);
        props.put("yk.mail.smtp-port", String.valueOf(SMTP_PORT));
        props.put("yk.mail.imap-port", String.valueOf(IMAP_PORT));
        // application.yaml's URL, and H2 keeps every statement the story runs, for the plans checked at its end
        props.put("spring.datasource.url", defaultDatabaseUrl() + StatementPlans.URL_SETTINGS);
        hub = RunningHub.start(RunningHub.newDataDir("e2e"), BROKER_PORT, props);
        clock = hub.bean(MutableClock.class);
        billing = new BillingClient("tcp://127.0.0.1:" + BROKER_PORT);
        rep = new RepClient(http, "rep", "rep");
        mail = new MailClient(SMTP_PORT, IMAP_PORT);
    }

    /** The embedded default's database URL, as application.yaml sets it. */
    private static String defaultDatabaseUrl() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yaml"));
        return Objects.requireNonNull(yaml.getObject()).getProperty("spring.datasource.url");
    }

    @AfterEach
    void stop() {
        if (billing != null) {
            billing.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void one_application_from_submission_to_closed_through_every_loop() throws Exception {
        play();
        verify();
        // a statement that scans a table growing with the cases costs nothing here and grows with every case held
        assertThat(StatementPlans.scansOfGrowingTables(hub.bean(DataSource.class), NOT_PER_CASE)).isEmpty();
    }

    /** Statements that may scan: they read no row, run once, or once a month. */
    static final Pattern NOT_PER_CASE = Pattern.compile(String.join("|",
            "where 1 = 0", // Camel's idempotent repository probes for its table: no row is read
            "from case_document d join yk_case y on y\\.id = d\\.case_id", // V21_6_2's hash-chain back-fill, once
            // the nodes completed in a month (the monthly assessment, the return-visit plans): an index on completed_at
            // would lead H2 to read a case's running clock ("completed_at is null") through it
            "completed_at >= \\? and n\\.completed_at < \\?"));

    @Override
    MutableClock clock() {
        return clock;
    }

    @Override
    BillingClient billing() {
        return billing;
    }

    @Override
    RepClient rep() {
        return rep;
    }

    @Override
    MailClient mail() {
        return mail;
    }
}
