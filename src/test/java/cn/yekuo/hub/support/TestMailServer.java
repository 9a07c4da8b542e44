package cn.yekuo.hub.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.springframework.context.ApplicationContext;

/**
 * The mail server a test hub sends to: the hub's own embedded GreenMail when it has one (a bean), else one
 * GreenMail per port pair and test JVM (every address a mailbox), kept until the JVM ends so that the outbox
 * relay of a cached test hub never waits for a server that a finished test class stopped.
 */
public final class TestMailServer {

    private static final java.util.Map<Integer, GreenMail> OWN = new java.util.HashMap<>();

    private TestMailServer() {
    }

    public static GreenMail of(ApplicationContext hub) {
        return of(hub, TestPorts.SMTP, TestPorts.IMAP);
    }

    public static synchronized GreenMail of(ApplicationContext hub, int smtpPort, int imapPort) {
        cn.yekuo.hub.mailtransport.EmbeddedMailServer embedded = hub.getBeanProvider(cn.yekuo.hub.mailtransport.EmbeddedMailServer.class).getIfAvailable();
        if (embedded != null) {
            return embedded.greenMail();
        }
        return OWN.computeIfAbsent(smtpPort, p -> {
            ServerSetup smtp = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
            ServerSetup imap = new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
            smtp.setServerStartupTimeout(30_000); // GreenMail's 2 s is too short on a loaded machine
            imap.setServerStartupTimeout(30_000);
            GreenMail server = new GreenMail(new ServerSetup[] {smtp, imap});
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "test-greenmail-stop"));
            return server;
        });
    }
}
