package cn.yekuo.hub.mailtransport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.SocketException;

import com.icegreen.greenmail.imap.ImapConstants;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.imap.ImapRequestHandler;
import com.icegreen.greenmail.imap.ImapResponse;
import com.icegreen.greenmail.imap.ImapSession;
import com.icegreen.greenmail.imap.ImapSessionFolder;
import com.icegreen.greenmail.imap.ImapSessionState;
import com.icegreen.greenmail.server.AbstractSocketProtocolHandler;
import com.icegreen.greenmail.server.BuildInfo;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.MessageFlags;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserManager;

import jakarta.mail.Flags;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GreenMail's IMAP connection handler and session (2.1.7's {@code ImapHandler} and {@code ImapSessionImpl}, same
 * protocol and responses) with one change: the selected folder finds a message's sequence number with the folder's
 * own index ({@link DiskMailFolder#getMsn}, a binary search), where GreenMail's {@code ImapSessionFolder} scans every
 * UID of the folder. FETCH, STORE, COPY, MOVE and SEARCH ask once for each message of the folder, so GreenMail's scan
 * made each of them quadratic in the folder's size: a unit's INBOX on the embedded server grows by every hand-off, and
 * in 1,000 lifecycles the scan was more than half of the mail server's samples (docs/benchmarks/19-round-7.md).
 * GreenMail's session class is final and makes the selected folder itself, hence these copies.
 */
final class IndexedImapHandler extends AbstractSocketProtocolHandler implements ImapConstants {

    private static final Logger log = LoggerFactory.getLogger(IndexedImapHandler.class);

    private final ImapRequestHandler requestHandler = new ImapRequestHandler();
    private final UserManager userManager;
    private final ImapHostManager imapHost;
    private volatile ImapResponse response;

    IndexedImapHandler(UserManager userManager, ImapHostManager imapHost, Socket socket) {
        super(socket);
        this.userManager = userManager;
        this.imapHost = imapHost;
    }

    @Override
    public void run() {
        try (InputStream in = new BufferedInputStream(socket.getInputStream(), 512);
             OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1024)) {
            ImapResponse r = new ImapResponse(out);
            response = r;
            r.okResponse(null, VERSION + " Server GreenMail v" + BuildInfo.INSTANCE.getProjectVersion() + " ready");
            ImapSession session = new Session(socket.getInetAddress().getHostAddress());
            while (!isQuitting() && requestHandler.handleRequest(in, out, session)) {
                // the next request
            }
        } catch (SocketException gone) {
            // the client hung up (a read timeout on its side, say): the connection's end, not the server's failure
            log.debug("IMAP client {} went away: {}", socket.getRemoteSocketAddress(), gone.toString());
        } catch (Exception e) {
            if (!isQuitting()) {
                throw new IllegalStateException("Can not handle IMAP connection", e);
            }
        } finally {
            close();
        }
    }

    void forceConnectionClose(String message) {
        ImapResponse r = response;
        if (r != null) {
            r.byeResponse(message);
        }
        close();
    }

    @Override
    public void close() {
        super.close();
        response = null;
    }

    /** A selected folder whose sequence numbers come from the folder's index. */
    static final class IndexedSessionFolder extends ImapSessionFolder {

        private final MailFolder folder;

        IndexedSessionFolder(MailFolder folder, ImapSession session, boolean readOnly) {
            super(folder, session, readOnly);
            this.folder = folder;
        }

        @Override
        public int getMsn(long uid) throws FolderException {
            return folder.getMsn(uid);
        }
    }

    /**
     * The getters of GreenMail's {@code ImapSessionFolder.FlagUpdate}, a class private to its package whose instances
     * the public {@code getFlagUpdates()} returns: read as GreenMail's own session reads them (another session's flag
     * change announced to this one, {@code EmbeddedMailPersistenceTest}).
     */
    private static final class FlagUpdates {

        private static final MethodHandle MSN;
        private static final MethodHandle UID;
        private static final MethodHandle FLAGS;

        static {
            try {
                Class<?> type = Class.forName(ImapSessionFolder.class.getName() + "$FlagUpdate");
                MSN = getter(type, "getMsn");
                UID = getter(type, "getUid");
                FLAGS = getter(type, "getFlags");
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private FlagUpdates() {
        }

        private static MethodHandle getter(Class<?> type, String name) throws ReflectiveOperationException {
            Method m = type.getDeclaredMethod(name);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
        }

        static int msn(Object update) {
            return (Integer) read(MSN, update);
        }

        static Long uid(Object update) {
            return (Long) read(UID, update);
        }

        static Flags flags(Object update) {
            return (Flags) read(FLAGS, update);
        }

        private static Object read(MethodHandle getter, Object update) {
            try {
                return (Object) getter.invokeExact(update);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** GreenMail's {@code ImapSessionImpl}, selecting {@link IndexedSessionFolder}s. */
    private final class Session implements ImapSession {

        private final String clientAddress;
        private volatile ImapSessionState state = ImapSessionState.NON_AUTHENTICATED;
        private volatile GreenMailUser user;
        private volatile ImapSessionFolder selected;

        Session(String clientAddress) {
            this.clientAddress = clientAddress;
        }

        @Override
        public ImapHostManager getHost() {
            return imapHost;
        }

        @Override
        public void unsolicitedResponses(ImapResponse r) throws FolderException {
            unsolicitedResponses(r, false);
        }

        @Override
        public void unsolicitedResponses(ImapResponse r, boolean omitExpunged) throws FolderException {
            ImapSessionFolder folder = selected;
            if (folder == null) {
                return;
            }
            if (folder.isSizeChanged()) {
                r.existsResponse(folder.getMessageCount());
                r.recentResponse(folder.getRecentCount(true));
                folder.setSizeChanged(false);
            }
            for (Object update : folder.getFlagUpdates()) {
                Long uid = FlagUpdates.uid(update);
                StringBuilder out = new StringBuilder("FLAGS ").append(MessageFlags.format(FlagUpdates.flags(update)));
                if (uid != null) {
                    out.append(" UID ").append(uid);
                }
                r.fetchResponse(FlagUpdates.msn(update), out.toString());
            }
            if (!omitExpunged) {
                for (int msn : folder.getExpunged()) {
                    r.expungeResponse(msn);
                }
            }
        }

        @Override
        public void closeConnection(String byeMessage) {
            forceConnectionClose(byeMessage);
        }

        @Override
        public void closeConnection() {
            close();
        }

        @Override
        public UserManager getUserManager() {
            return userManager;
        }

        @Override
        public String getClientIP() {
            return clientAddress;
        }

        @Override
        public ImapSessionState getState() {
            return state;
        }

        @Override
        public void setAuthenticated(GreenMailUser authenticated) {
            state = ImapSessionState.AUTHENTICATED;
            user = authenticated;
        }

        @Override
        public GreenMailUser getUser() {
            return user;
        }

        @Override
        public void setSelected(MailFolder folder, boolean readOnly) {
            selected = new IndexedSessionFolder(folder, this, readOnly);
            state = ImapSessionState.SELECTED;
        }

        @Override
        public void deselect() {
            state = ImapSessionState.AUTHENTICATED;
            ImapSessionFolder was = selected;
            if (was != null) {
                was.deselect();
                selected = null;
            }
        }

        @Override
        public ImapSessionFolder getSelected() {
            return selected;
        }
    }
}
