package cn.yekuo.hub.mail;

import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHandler;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.yekuo.hub.config.HubProperties;

/**
 * The mail server of the embedded default (docs/contract.md §5): GreenMail with SMTP and IMAP on the configured host
 * and ports, every address a mailbox whose login and password are the address. The configured mailboxes exist
 * from the start, so a unit can log in before its first mail; other addresses are created on first delivery.
 * Mail is kept in memory: it does not survive a restart of the hub (use real servers for that).
 *
 * <p>The client connections are set to TCP_NODELAY, as real mail servers do. GreenMail leaves Nagle's algorithm on and
 * writes an IMAP response in several small packets, so with the client's delayed ACK every command waited about 40 ms:
 * reading one unit reply (fetch, copy to its folder, flag, close) took ~270 ms, the whole hub took 3-4 replies per
 * second (docs/benchmarks/README.md). {@link GreenMail#getImap()} is not available (the IMAP server is not GreenMail's
 * final {@code ImapServer} class, whose handler it creates the same way).
 */
public class EmbeddedMailServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMailServer.class);

    private final GreenMail greenMail;
    private final List<String> mailboxes;
    private final HubProperties.Mail settings;

    public EmbeddedMailServer(HubProperties.Mail settings, List<String> mailboxes) {
        this.settings = settings;
        this.mailboxes = List.copyOf(mailboxes);
        this.greenMail = new NoDelayGreenMail(new ServerSetup[] {
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

    /** GreenMail whose SMTP and IMAP servers set TCP_NODELAY on every client socket. */
    static final class NoDelayGreenMail extends GreenMail {

        NoDelayGreenMail(ServerSetup[] setups) {
            super(setups);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
            Map<String, AbstractServer> services = super.createServices(config, managers);
            for (ServerSetup setup : config) {
                if (ServerSetup.PROTOCOL_IMAP.equals(setup.getProtocol())) {
                    services.put(setup.getProtocol(), new NoDelayImapServer(setup, managers));
                } else if (ServerSetup.PROTOCOL_SMTP.equals(setup.getProtocol())) {
                    services.put(setup.getProtocol(), new NoDelaySmtpServer(setup, managers));
                }
            }
            return services;
        }
    }

    /** GreenMail's IMAP server (same handler), TCP_NODELAY. */
    static final class NoDelayImapServer extends AbstractServer {

        NoDelayImapServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            noDelay(socket);
            return new ImapHandler(managers.getUserManager(), managers.getImapHostManager(), socket);
        }
    }

    static final class NoDelaySmtpServer extends SmtpServer {

        NoDelaySmtpServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            noDelay(socket);
            return super.createProtocolHandler(socket);
        }
    }

    private static void noDelay(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
        } catch (SocketException e) {
            log.debug("TCP_NODELAY not set on {}: {}", socket, e.toString());
        }
    }
}
