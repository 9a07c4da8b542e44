package cn.yekuo.hub.e2e;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * The whole story of {@link Lifecycle} on one hub in its embedded default (its own Artemis, H2 and GreenMail),
 * driven only through its outside interfaces: JMS as billing, SMTP/IMAP as the units and the customer, HTTP as a
 * representative, plus the settable clock. The deadline watcher and the monthly check fire every second so that a
 * deadline or a month start the clock passes is seen at once.
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
        hub = RunningHub.start(RunningHub.newDataDir("e2e"), BROKER_PORT, props);
        clock = hub.bean(MutableClock.class);
        billing = new BillingClient("tcp://127.0.0.1:" + BROKER_PORT);
        rep = new RepClient(http, "rep", "rep");
        mail = new MailClient(SMTP_PORT, IMAP_PORT);
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
    }

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
