package cn.yekuo.hub.mailtransport.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.junit.jupiter.api.Test;

/** How the mail relay tells a recipient refused for good from a server's refusal, a passing failure and an unreachable server. */
class MailRelayFailuresTest {

    @Test
    void a_5xx_for_the_recipient_is_permanent_as_jakarta_mail_reports_it() throws Exception {
        InternetAddress to = new InternetAddress("marketing@yekuo.local");
        SMTPAddressFailedException refused = new SMTPAddressFailedException(to, "RCPT TO:<marketing@yekuo.local>", 550,
                "550 5.1.1 mailbox unavailable");
        SendFailedException failed = new SendFailedException("Invalid Addresses", refused, new InternetAddress[0],
                new InternetAddress[0], new InternetAddress[] {to});
        assertThat(MailRelayFailures.classify(failed)).isEqualTo(MailRelayFailures.Kind.PERMANENT);
        assertThat(MailRelayFailures.describe(failed)).contains("550 5.1.1 mailbox unavailable");
    }

    @Test
    void a_4xx_is_passing() throws Exception {
        InternetAddress to = new InternetAddress("lisi@example.cn");
        SMTPAddressFailedException busy = new SMTPAddressFailedException(to, "RCPT TO:<lisi@example.cn>", 451, "451 try later");
        assertThat(MailRelayFailures.classify(new SendFailedException("Invalid Addresses", busy))).isEqualTo(MailRelayFailures.Kind.PASSING);
        assertThat(MailRelayFailures.classify(new SMTPSendFailedException("DATA", 452, "452 insufficient storage", null, null, null, null)))
                .isEqualTo(MailRelayFailures.Kind.PASSING);
        assertThat(MailRelayFailures.classify(new MessagingException("connection lost", new IOException("reset"))))
                .isEqualTo(MailRelayFailures.Kind.PASSING);
    }

    /** A certificate the trust store does not vouch for, or no STARTTLS where it is required, is no mail's fault. */
    @Test
    void a_failed_tls_handshake_or_a_missing_starttls_is_an_outage() {
        assertThat(MailRelayFailures.classify(new MessagingException("Could not convert socket to TLS",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed")))).isEqualTo(MailRelayFailures.Kind.OUTAGE);
        assertThat(MailRelayFailures.classify(new MessagingException("STARTTLS is required but host does not support STARTTLS")))
                .isEqualTo(MailRelayFailures.Kind.OUTAGE);
        assertThat(MailRelayFailures.classify(new MessagingException("Could not connect to SMTP host",
                new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message")))).isEqualTo(MailRelayFailures.Kind.OUTAGE);
    }

    /** An SMTPS connection the server drops during DATA (e.g. a mail over its size limit) is that mail's attempt. */
    @Test
    void a_tls_connection_reset_while_sending_is_the_mails_attempt() {
        assertThat(MailRelayFailures.classify(new MessagingException("Exception reading response",
                new javax.net.ssl.SSLException("Connection reset")))).isEqualTo(MailRelayFailures.Kind.PASSING);
    }

    @Test
    void a_bad_address_is_permanent() {
        assertThat(MailRelayFailures.classify(new IllegalStateException("compose", new AddressException("bad", "a@@b"))))
                .isEqualTo(MailRelayFailures.Kind.PERMANENT);
    }

    /** A quota or a content filter answers every mail alike: one refusal must not dead-letter the batch. */
    @Test
    void a_5xx_to_the_sender_is_the_servers_refusal_as_jakarta_mail_reports_it() throws Exception {
        InternetAddress hub = new InternetAddress("hub@yekuo.local");
        SMTPSendFailedException quota = new SMTPSendFailedException("MAIL FROM:<hub@yekuo.local>", 550,
                "550 5.4.5 Daily sending quota exceeded", null, null, null, null);
        quota.setNextException(new SMTPSenderFailedException(hub, "MAIL FROM:<hub@yekuo.local>", 550,
                "550 5.4.5 Daily sending quota exceeded"));
        assertThat(MailRelayFailures.classify(quota)).isEqualTo(MailRelayFailures.Kind.SERVER_REFUSAL);
        assertThat(MailRelayFailures.describe(quota)).contains("550 5.4.5 Daily sending quota exceeded");
    }

    @Test
    void a_5xx_to_the_data_is_the_servers_refusal() {
        assertThat(MailRelayFailures.classify(new SMTPSendFailedException("DATA", 554, "554 5.7.1 rejected by content filter",
                null, null, null, null))).isEqualTo(MailRelayFailures.Kind.SERVER_REFUSAL);
        assertThat(MailRelayFailures.classify(new SMTPSendFailedException("DATA", 552, "552 message too large", null, null, null, null)))
                .isEqualTo(MailRelayFailures.Kind.SERVER_REFUSAL);
    }

    @Test
    void a_5xx_for_a_recipient_wins_over_the_code_of_the_whole_send() throws Exception {
        InternetAddress to = new InternetAddress("marketing@yekuo.local");
        SMTPSendFailedException send = new SMTPSendFailedException("RCPT TO:<marketing@yekuo.local>", 550,
                "550 5.1.1 mailbox unavailable", null, null, null, new InternetAddress[] {to});
        send.setNextException(new SMTPAddressFailedException(to, "RCPT TO:<marketing@yekuo.local>", 550, "550 5.1.1 mailbox unavailable"));
        assertThat(MailRelayFailures.classify(send)).isEqualTo(MailRelayFailures.Kind.PERMANENT);
    }

    /** A 421 has no mail in it: the server will not serve now, like an unreachable one. */
    @Test
    void a_421_and_a_bad_greeting_are_an_outage() throws Exception {
        assertThat(MailRelayFailures.classify(new MessagingException(
                "Got bad greeting from SMTP host: 127.0.0.1, port: 25, response: 421 4.3.2 too many connections")))
                .isEqualTo(MailRelayFailures.Kind.OUTAGE);
        assertThat(MailRelayFailures.classify(new SMTPSendFailedException("MAIL FROM:<hub@yekuo.local>", 421,
                "421 4.7.0 try again later, closing connection", null, null, null, null))).isEqualTo(MailRelayFailures.Kind.OUTAGE);
        InternetAddress to = new InternetAddress("lisi@example.cn");
        assertThat(MailRelayFailures.classify(new SendFailedException("Invalid Addresses",
                new SMTPAddressFailedException(to, "RCPT TO:<lisi@example.cn>", 421, "421 closing")))).isEqualTo(MailRelayFailures.Kind.OUTAGE);
    }

    @Test
    void an_unreachable_server_is_an_outage_not_the_mails_fault() {
        MailConnectException down = new MailConnectException(new SocketConnectException("refused", new ConnectException("refused"),
                "127.0.0.1", 25, 5000));
        assertThat(MailRelayFailures.classify(down)).isEqualTo(MailRelayFailures.Kind.OUTAGE);
        assertThat(MailRelayFailures.classify(new MessagingException("x", new ConnectException("refused"))))
                .isEqualTo(MailRelayFailures.Kind.OUTAGE);
    }

    @Test
    void the_wait_doubles_up_to_the_maximum() {
        Duration first = Duration.ofSeconds(30);
        Duration max = Duration.ofHours(1);
        cn.yekuo.hub.outbox.Outbox.Retry retry = new cn.yekuo.hub.outbox.Outbox.Retry(8, first, max);
        assertThat(retry.backoffAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(retry.backoffAfter(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(retry.backoffAfter(4)).isEqualTo(Duration.ofMinutes(4));
        assertThat(retry.backoffAfter(8)).isEqualTo(Duration.ofHours(1));
        assertThat(retry.backoffAfter(1000)).isEqualTo(Duration.ofHours(1));
    }

    /** What the relay's doCatch does with each kind: only a recipient's refusal dead-letters; a server's refusal stops the run. */
    @Test
    void a_servers_refusal_charges_only_this_mail_as_passing_and_stops_the_run() throws Exception {
        Recorded recorded = new Recorded();
        MailRelayFailures failures = failures(recorded);
        SMTPSendFailedException quota = new SMTPSendFailedException("MAIL FROM:<hub@yekuo.local>", 550,
                "550 5.4.5 Daily sending quota exceeded", null, null, null, null);
        Exchange exchange = failedWith(quota);

        failures.failed(exchange);

        assertThat(recorded.retried).as("one passing attempt with backoff").containsExactly(7L);
        assertThat(recorded.dead).isEmpty();
        assertThat(recorded.notices).isZero();
        assertThat(exchange.getProperty(MailRelayFailures.STOP_RUN, Exception.class)).as("the run stops after this mail")
                .hasMessageContaining("refused a mail's sender or data").hasMessageContaining("550");
    }

    /** An outage charges nothing and is thrown by the relay after the mail's sub-route, not inside it (one log line). */
    @Test
    void an_outage_charges_nothing_and_ends_the_run_after_the_mails_transaction() throws Exception {
        Recorded recorded = new Recorded();
        MailRelayFailures failures = failures(recorded);
        MessagingException down = new MessagingException("Couldn't connect to host", new ConnectException("Connection refused"));
        Exchange exchange = failedWith(down);

        failures.failed(exchange);

        assertThat(recorded.retried).isEmpty();
        assertThat(recorded.dead).isEmpty();
        assertThat(exchange.getProperty(MailRelayFailures.STOP_RUN)).isSameAs(down);
        assertThatThrownBy(() -> failures.endRunIfAsked(exchange)).isSameAs(down);
        assertThat(exchange.getProperty(MailRelayFailures.STOP_RUN)).as("told once").isNull();
        failures.endRunIfAsked(exchange);
    }

    @Test
    void a_recipients_refusal_dead_letters_this_mail_and_the_run_goes_on() throws Exception {
        Recorded recorded = new Recorded();
        InternetAddress to = new InternetAddress("marketing@yekuo.local");
        Exchange exchange = failedWith(new SendFailedException("Invalid Addresses",
                new SMTPAddressFailedException(to, "RCPT TO:<marketing@yekuo.local>", 550, "550 5.1.1 mailbox unavailable")));

        failures(recorded).failed(exchange);

        assertThat(recorded.dead).containsExactly(7L);
        assertThat(recorded.notices).isEqualTo(1);
        assertThat(exchange.getProperty(MailRelayFailures.STOP_RUN)).isNull();
    }

    /** The outbox row as the relay's decision leaves it (the SQL itself is exercised by MailRelayDeadLetterTest). */
    private static final class Recorded {
        final java.util.List<Long> retried = new java.util.ArrayList<>();
        final java.util.List<Long> dead = new java.util.ArrayList<>();
        int notices;
    }

    private static MailRelayFailures failures(Recorded recorded) {
        java.time.Clock clock = java.time.Clock.systemUTC();
        cn.yekuo.hub.outbox.Outbox outbox = new cn.yekuo.hub.outbox.Outbox(null, null, clock, null, null, null) {
            @Override
            public int attempts(long id) {
                return 0;
            }

            @Override
            public boolean retryLater(long id, String error, java.time.OffsetDateTime next) {
                return recorded.retried.add(id);
            }

            @Override
            public boolean markDead(long id, String error) {
                return recorded.dead.add(id);
            }
        };
        DeadMailNotices notices = new DeadMailNotices(outbox, null, null, clock, null, null) {
            @Override
            public void notifyDead(cn.yekuo.hub.outbox.OutboxEntry dead, int attempts, String error, boolean refused) {
                recorded.notices++;
            }
        };
        cn.yekuo.hub.config.HubProperties hub = new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(java.util.Map.of()))
                .bindOrCreate("yk", cn.yekuo.hub.config.HubProperties.class);
        return new MailRelayFailures(outbox, notices, hub);
    }

    private static Exchange failedWith(Exception failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(cn.yekuo.hub.outbox.Outbox.ENTRY, new cn.yekuo.hub.outbox.OutboxEntry(7L, 1L, "mail", "handoff-YK-1-T2",
                "YK-1", java.util.Map.of("to", "marketing@yekuo.local", "kind", "HANDOFF"), "{}"));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return exchange;
    }
}
