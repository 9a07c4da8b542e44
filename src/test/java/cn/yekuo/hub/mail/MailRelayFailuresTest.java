package cn.yekuo.hub.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.junit.jupiter.api.Test;

/** How the mail relay tells a permanent refusal from a passing failure and from an unreachable server. */
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

    @Test
    void a_5xx_for_the_whole_mail_and_a_bad_address_are_permanent() {
        assertThat(MailRelayFailures.classify(new SMTPSendFailedException("DATA", 552, "552 message too large", null, null, null, null)))
                .isEqualTo(MailRelayFailures.Kind.PERMANENT);
        assertThat(MailRelayFailures.classify(new IllegalStateException("compose", new AddressException("bad", "a@@b"))))
                .isEqualTo(MailRelayFailures.Kind.PERMANENT);
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
        assertThat(MailRelayFailures.backoffAfter(1, first, max)).isEqualTo(Duration.ofSeconds(30));
        assertThat(MailRelayFailures.backoffAfter(2, first, max)).isEqualTo(Duration.ofMinutes(1));
        assertThat(MailRelayFailures.backoffAfter(4, first, max)).isEqualTo(Duration.ofMinutes(4));
        assertThat(MailRelayFailures.backoffAfter(8, first, max)).isEqualTo(Duration.ofHours(1));
        assertThat(MailRelayFailures.backoffAfter(1000, first, max)).isEqualTo(Duration.ofHours(1));
    }
}
