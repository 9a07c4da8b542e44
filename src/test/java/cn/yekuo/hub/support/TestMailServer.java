package cn.yekuo.hub.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.springframework.context.ApplicationContext;

/**
 * The mail server the hub sends to in tests: the hub's own embedded GreenMail when it has one (a bean), else one
 * GreenMail per test JVM on the test SMTP/IMAP ports (every address a mailbox), kept until the JVM ends so that
 * the outbox relay of the shared hub never waits for a server that a finished test class stopped.
 */
public final class TestMailServer {

    private static GreenMail own;

    private TestMailServer() {
    }

    public static synchronized GreenMail of(ApplicationContext hub) {
        GreenMail embedded = hub.getBeanProvider(GreenMail.class).getIfAvailable();
        if (embedded != null) {
            return embedded;
        }
        if (own == null) {
            GreenMail server = new GreenMail(new ServerSetup[] {
                    new ServerSetup(TestPorts.SMTP, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                    new ServerSetup(TestPorts.IMAP, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "test-greenmail-stop"));
            own = server;
        }
        return own;
    }
}
