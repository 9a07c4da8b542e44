package cn.yekuo.hub.mailtransport;

import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapConstants;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.imap.ImapHostManagerImpl;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.yekuo.hub.config.HubProperties;

/**
 * The mail server of the embedded default (docs/contract.md §5): GreenMail with SMTP and IMAP on the configured host
 * and ports, every address a mailbox whose login and password are the address. The configured mailboxes exist
 * from the start, so a unit can log in before its first mail; other addresses are created on first delivery.
 * Every mailbox and folder is kept under {@code <data-dir>/mail/embedded/} ({@link DiskMailStore}, issue 22): a restart
 * finds the same messages, flags and UIDs, mail bodies stay on disk rather than on the heap, and what SMTP acknowledged
 * is on disk before the {@code 250}. {@code yk.mail.embedded-retention} deletes old mail of the processed folders.
 *
 * <p>The client connections are set to TCP_NODELAY, as real mail servers do. GreenMail leaves Nagle's algorithm on and
 * writes an IMAP response in several small packets, so with the client's delayed ACK every command waited about 40 ms:
 * reading one unit reply (fetch, copy to its folder, flag, close) took ~270 ms, the whole hub took 3-4 replies per
 * second (docs/benchmarks/README.md). {@link GreenMail#getImap()} is not available (the IMAP server is not GreenMail's
 * final {@code ImapServer} class): its handler is {@link IndexedImapHandler}, GreenMail's own but for how a selected
 * folder numbers its messages.
 */
public class EmbeddedMailServer {

    /** GreenMail's default of 2 s to bind its ports is too short on a loaded machine: a start is refused, not retried. */
    private static final long STARTUP_TIMEOUT_MILLIS = 30_000;

    private static ServerSetup patient(ServerSetup setup) {
        setup.setServerStartupTimeout(STARTUP_TIMEOUT_MILLIS);
        return setup;
    }

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMailServer.class);

    /** Messages read in a row by a client are kept parsed up to this many bytes; the rest stays on disk. */
    private static final long CACHE_BYTES = 16L * 1024 * 1024;

    private final GreenMail greenMail;
    private final List<String> mailboxes;
    private final HubProperties.Mail settings;
    private final Path storeDir;
    private DiskMailStore store;
    private ScheduledExecutorService retention;

    public EmbeddedMailServer(HubProperties.Mail settings, List<String> mailboxes, Path storeDir) {
        this.settings = settings;
        this.mailboxes = List.copyOf(mailboxes);
        this.storeDir = storeDir;
        this.greenMail = new NoDelayGreenMail(new ServerSetup[] {
                patient(new ServerSetup(settings.smtpPort(), settings.smtpHost(), ServerSetup.PROTOCOL_SMTP)),
                patient(new ServerSetup(settings.imapPort(), settings.imapHost(), ServerSetup.PROTOCOL_IMAP))});
    }

    public void start() {
        store = new DiskMailStore(storeDir, CACHE_BYTES);
        DiskManagers managers = new DiskManagers(store);
        ((NoDelayGreenMail) greenMail).use(managers);
        Set<String> all = new LinkedHashSet<>(mailboxes);
        List<String> kept = store.addresses();
        all.addAll(kept);
        for (String address : all) { // before the servers listen: no delivery creates a user a second time
            managers.mailbox(address);
        }
        greenMail.start();
        log.info("Embedded mail server: SMTP {}:{}, IMAP {}:{}, mailboxes {} (login = password = address); {} mailboxes kept"
                        + " in {}", settings.smtpHost(), settings.smtpPort(), settings.imapHost(), settings.imapPort(),
                mailboxes, kept.size(), storeDir);
        Period keep = settings.embeddedRetention();
        if (keep != null && !keep.isZero()) {
            retention = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "embedded-mail-retention");
                t.setDaemon(true);
                return t;
            });
            retention.scheduleWithFixedDelay(() -> applyRetention(keep), 0, 1, TimeUnit.DAYS);
        }
    }

    /** Deletes the mail of every mailbox's processed folder that arrived more than {@code keep} ago; returns how many. */
    public int applyRetention(Period keep) {
        try {
            int removed = store.removeReceivedBefore(settings.processedFolder(),
                    ZonedDateTime.now().minus(keep).toInstant());
            if (removed > 0) {
                log.info("Embedded mail server: {} mails older than {} deleted from the {} folders", removed, keep,
                        settings.processedFolder());
            }
            return removed;
        } catch (RuntimeException e) {
            log.warn("Embedded mail retention failed, tried again tomorrow: {}", e.toString());
            return 0;
        }
    }

    public void stop() {
        if (retention != null) {
            retention.shutdownNow();
        }
        greenMail.stop();
        if (store != null) {
            store.close();
        }
    }

    public boolean isRunning() {
        return greenMail.isRunning();
    }

    /** For tests and diagnostics. */
    public GreenMail greenMail() {
        return greenMail;
    }

    /**
     * GreenMail's managers over the disk store ({@code Managers} builds its in-memory store itself, so its getters are
     * overridden); a mailbox created by a first delivery is labelled with its address before the mail is stored, so that
     * it is created again at the next start.
     */
    static final class DiskManagers extends Managers {

        private final DiskMailStore store;
        private final ImapHostManager imapHostManager;
        private final UserManager userManager;
        private final SmtpManager smtpManager;

        DiskManagers(DiskMailStore store) {
            this.store = store;
            this.imapHostManager = new ImapHostManagerImpl(store);
            this.userManager = new UserManager(imapHostManager);
            this.smtpManager = new SmtpManager(imapHostManager, userManager);
            userManager.setMessageDeliveryHandler((message, address) -> mailbox(address.getEmail()));
        }

        /** The user of this address (login = password = address), created and labelled on disk if new. */
        synchronized GreenMailUser mailbox(String address) {
            GreenMailUser user = userManager.getUserByEmail(address);
            if (user == null) {
                try {
                    user = userManager.createUser(address, address, address);
                } catch (UserException e) {
                    throw new IllegalStateException(e);
                }
                store.label(store.getMailbox(ImapConstants.USER_NAMESPACE + ImapConstants.HIERARCHY_DELIMITER
                        + user.getQualifiedMailboxName()), address);
            }
            return user;
        }

        @Override
        public ImapHostManager getImapHostManager() {
            return imapHostManager;
        }

        @Override
        public UserManager getUserManager() {
            return userManager;
        }

        @Override
        public SmtpManager getSmtpManager() {
            return smtpManager;
        }
    }

    /** GreenMail whose SMTP and IMAP servers set TCP_NODELAY on every client socket. */
    static final class NoDelayGreenMail extends GreenMail {

        NoDelayGreenMail(ServerSetup[] setups) {
            super(setups);
        }

        /** Before {@link #start()}, which creates the servers over these managers. */
        void use(Managers diskManagers) {
            this.managers = diskManagers;
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

    /** GreenMail's IMAP server, TCP_NODELAY, sequence numbers from the folder's index ({@link IndexedImapHandler}). */
    static final class NoDelayImapServer extends AbstractServer {

        NoDelayImapServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            noDelay(socket);
            return new IndexedImapHandler(managers.getUserManager(), managers.getImapHostManager(), socket);
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
