package cn.yekuo.hub.mail;

import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.yekuo.hub.config.HubProperties;

/**
 * The mail server of the embedded default (CONTRACT §5): GreenMail with SMTP and IMAP on the configured host
 * and ports, every address a mailbox whose login and password are the address. The configured mailboxes exist
 * from the start, so a unit can log in before its first mail; other addresses are created on first delivery.
 * Mail is kept in memory: it does not survive a restart of the hub (use real servers for that).
 */
public class EmbeddedMailServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMailServer.class);

    private final GreenMail greenMail;
    private final List<String> mailboxes;
    private final HubProperties.Mail settings;

    public EmbeddedMailServer(HubProperties.Mail settings, List<String> mailboxes) {
        this.settings = settings;
        this.mailboxes = List.copyOf(mailboxes);
        this.greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(settings.smtpPort(), settings.smtpHost(), ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(settings.imapPort(), settings.imapHost(), ServerSetup.PROTOCOL_IMAP)});
    }

    public void start() {
        greenMail.start();
        for (String address : mailboxes) {
            greenMail.setUser(address, address, address);
        }
        log.info("Embedded mail server: SMTP {}:{}, IMAP {}:{}, mailboxes {} (login = password = address)",
                settings.smtpHost(), settings.smtpPort(), settings.imapHost(), settings.imapPort(), mailboxes);
    }

    public void stop() {
        greenMail.stop();
    }

    public boolean isRunning() {
        return greenMail.isRunning();
    }

    /** For tests and diagnostics. */
    public GreenMail greenMail() {
        return greenMail;
    }
}
