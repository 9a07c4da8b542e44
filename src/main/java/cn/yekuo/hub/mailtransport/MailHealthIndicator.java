package cn.yekuo.hub.mailtransport;

import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import cn.yekuo.hub.config.HubProperties;

/**
 * Health of the mail servers (docs/contract.md §4: health includes mail): the hub logs in to SMTP and to its IMAP mailbox.
 * A good answer is kept for a few seconds so that a health probe every second does not become a login every second.
 */
@Component("mailHealthIndicator")
public class MailHealthIndicator implements HealthIndicator {

    private static final long KEEP_MILLIS = 10_000;
    private static final int TIMEOUT = 3000;

    private final String smtpProtocol;
    private final String imapProtocol;
    private final String smtpHost;
    private final int smtpPort;
    private final String imapHost;
    private final int imapPort;
    private final String user;
    private final String password;
    private final MailConfiguration.MailTls tls;
    private volatile Health last;
    private volatile long lastAt;

    public MailHealthIndicator(HubProperties hub, MailConfiguration.MailTls tls) {
        HubProperties.MailEndpoint endpoint = hub.mailEndpoint();
        this.tls = tls;
        this.smtpProtocol = tls.protocol("smtp");
        this.imapProtocol = tls.protocol("imap");
        this.smtpHost = hub.mail().smtpHost();
        this.smtpPort = hub.mail().smtpPort();
        this.imapHost = hub.mail().imapHost();
        this.imapPort = hub.mail().imapPort();
        this.user = endpoint.user();
        this.password = endpoint.password();
    }

    @Override
    public Health health() {
        long now = System.currentTimeMillis();
        Health kept = last;
        // only a good answer is kept: a failing server is looked at again on every call
        if (kept != null && now - lastAt <= KEEP_MILLIS) {
            return kept;
        }
        Health fresh = check();
        last = fresh.getStatus().equals(org.springframework.boot.actuate.health.Status.UP) ? fresh : null;
        lastAt = now;
        return fresh;
    }

    private Health check() {
        Health.Builder health = Health.up()
                .withDetail("smtp", smtpProtocol + "://" + smtpHost + ":" + smtpPort)
                .withDetail("imap", imapProtocol + "://" + imapHost + ":" + imapPort);
        try (Transport smtp = Session.getInstance(tls.session("smtp", TIMEOUT, TIMEOUT)).getTransport(smtpProtocol)) {
            smtp.connect(smtpHost, smtpPort, user, password);
        } catch (Exception e) {
            return health.down().withDetail("error", "SMTP: " + e.getMessage()).build();
        }
        try (Store imap = Session.getInstance(tls.session("imap", TIMEOUT, TIMEOUT)).getStore(imapProtocol)) {
            imap.connect(imapHost, imapPort, user, password);
        } catch (Exception e) {
            return health.down().withDetail("error", "IMAP: " + e.getMessage()).build();
        }
        return health.build();
    }
}
