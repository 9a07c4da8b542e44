package cn.yekuo.hub.mailtransport.relay;

import cn.yekuo.hub.mailtransport.MailConfiguration;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.Exchange;
import org.apache.camel.component.mail.DefaultJavaMailSender;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;

/**
 * The SMTP side of the {@code mail-relay} route ({@code javaMailSender: "#relayMailSender"} on its camel-mail endpoint):
 * one SMTP connection per relay thread and run instead of one per mail. The run opens a {@link Run} ({@link #openRun});
 * the run's cases are sent side by side ({@code yk.mail.relay-threads}), and each thread's first mail of the run
 * connects and logs in, its next ones are sent over the same connection; every connection of the run is closed when
 * the run's exchange completes, whatever the outcome. The run's sent mails are marked sent together when it ends
 * ({@code Outbox.markRunSent}). A failure that ends the run ({@link #endRun}: an outage, a server's refusal of the sender
 * or the data, a lost claim) stops the other threads too, before their next mail ({@link RunStopped}); the mail each
 * of them is sending meanwhile is sent and marked sent with the run's others.
 *
 * <p>A failed send closes the connection: the next mail connects afresh, as every mail did before. A mail that fails on
 * a connection already used by an earlier mail without any answer of the server about this mail (the connection was
 * dropped, or the server said {@code 421} and closed it, e.g. a limit of mails per connection) is sent once more on a
 * fresh connection, so the kept connection never costs a mail an attempt; what that second send answers is the mail's
 * outcome, as before ({@link MailRelayFailures}). Outside a run every mail gets a connection of its own.
 */
@Component("relayMailSender")
public class RelayMailSender extends DefaultJavaMailSender {

    private static final Logger log = LoggerFactory.getLogger(RelayMailSender.class);
    /** What the route's endpoint had: connect and read within 5 s, a server that stops reading mid-mail fails after 30 s. */
    static final int CONNECT_MILLIS = 5000;
    static final int WRITE_MILLIS = 30000;
    /** Exchange property holding the relay's {@link Run}; split items copy it, so every thread of the run sees it. */
    private static final String RUN = "ykMailRelayRun";

    /** The connection the current thread sends over, set before each mail ({@link #beforeMail}). */
    private final ThreadLocal<Batch> current = new ThreadLocal<>();
    /** Test hooks: called with each mail right before it is sent, and when a thread ends the run; on that thread. */
    private volatile Consumer<MimeMessage> beforeSend;
    private volatile Runnable onEndRun;

    public RelayMailSender(HubProperties hub, MailConfiguration.MailTls tls) {
        String protocol = tls.protocol("smtp");
        setProtocol(protocol);
        setHost(hub.mail().smtpHost());
        setPort(hub.mail().smtpPort());
        setUsername(hub.mailEndpoint().user());
        setPassword(hub.mailEndpoint().password());
        // the same trust, STARTTLS requirement and host name check as the hub's other mail connections
        Properties p = tls.session("smtp", CONNECT_MILLIS, CONNECT_MILLIS);
        p.put("mail." + protocol + ".writetimeout", String.valueOf(WRITE_MILLIS));
        p.put("mail." + protocol + ".auth", String.valueOf(hub.mailEndpoint().password() != null));
        p.put("mail.mime.charset", "UTF-8");
        setJavaMailProperties(p);
        setSession(Session.getInstance(p));
    }

    /** The route's step before its split: the run's threads keep one connection each, closed when the run ends. */
    public void openRun(Exchange exchange) {
        Run run = new Run();
        exchange.setProperty(RUN, run);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                run.end();
            }
        });
    }

    /**
     * The step before each mail, on the thread that sends it: nothing more is sent once the run was stopped
     * ({@link RunStopped}); otherwise the mail goes over this thread's connection of the run.
     */
    public void beforeMail(Exchange exchange) {
        Run run = exchange.getProperty(RUN, Run.class);
        if (run == null) {
            current.remove();
            return;
        }
        if (run.stopped) {
            current.remove();
            throw new RunStopped();
        }
        current.set(run.batchOfThisThread());
    }

    /**
     * The doCatch around each mail: whatever ended this case's mails (an outage, a server's refusal, a lost claim, the
     * run already stopped) ends the run on every thread, each before its next mail; the failure goes on, ending this
     * thread's case.
     */
    public void endRun(Exchange exchange) throws Exception {
        Run run = exchange.getProperty(RUN, Run.class);
        if (run != null) {
            run.stopped = true;
        }
        Runnable hook = onEndRun;
        if (hook != null) {
            hook.run();
        }
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        throw caught != null ? caught : new RunStopped();
    }

    /** A mail not sent because another thread's mail ended the run; it stays claimed by this node and goes next run. */
    public static class RunStopped extends RuntimeException {
        public RunStopped() {
            super("the relay run was stopped by another mail's failure; this mail waits for the next run", null, false, false);
        }
    }

    /** Test hooks (null: none). */
    public void beforeSend(Consumer<MimeMessage> hook) {
        this.beforeSend = hook;
    }

    public void onEndRun(Runnable hook) {
        this.onEndRun = hook;
    }

    @Override
    public void send(MimeMessage message) throws MessagingException {
        Consumer<MimeMessage> hook = beforeSend;
        if (hook != null) {
            hook.accept(message);
        }
        Batch batch = current.get();
        if (batch == null || batch.ended) {
            super.send(message);
            return;
        }
        batch.send(message);
    }

    /** One relay run: whether it was stopped, and the connection of each thread that sent a mail of it. */
    private final class Run {
        private final Map<Thread, Batch> batches = new ConcurrentHashMap<>();
        private volatile boolean stopped;

        Batch batchOfThisThread() {
            return batches.computeIfAbsent(Thread.currentThread(), t -> new Batch());
        }

        /** When the run's exchange completes: every thread of the run is done sending. */
        void end() {
            batches.values().forEach(Batch::end);
            batches.clear();
        }
    }

    /** The connection of one thread of a relay run. */
    private final class Batch {
        /** Connected and logged in while not null: a failed send drops it. */
        private Transport transport;
        private int sentOnIt;
        private volatile boolean ended;

        void send(MimeMessage message) throws MessagingException {
            boolean reused = transport != null && sentOnIt > 0;
            try {
                sendOnce(message);
            } catch (MessagingException e) {
                disconnect();
                if (!reused || !connectionLost(e)) {
                    throw e;
                }
                log.info("SMTP connection lost after {} mail(s) of this run ({}); sending {} again on a new connection",
                        sentOnIt, MailRelayFailures.describe(e), message.getMessageID());
                try {
                    sendOnce(message);
                } catch (MessagingException again) {
                    disconnect();
                    throw again;
                }
            }
        }

        private void sendOnce(MimeMessage message) throws MessagingException {
            if (transport == null) {
                Transport fresh = getTransport(getSession());
                fresh.connect(getHost(), getPort(), getUsername(), getPassword());
                transport = fresh;
                sentOnIt = 0;
            }
            if (message.getSentDate() == null) {
                message.setSentDate(new java.util.Date());
            }
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
            sentOnIt++;
        }

        private void disconnect() {
            Transport open = transport;
            transport = null;
            if (open != null) {
                try {
                    open.close();
                } catch (MessagingException e) {
                    log.debug("SMTP connection not closed cleanly: {}", e.toString());
                }
            }
        }

        void end() {
            ended = true;
            disconnect();
        }
    }

    /** No answer of the server about this mail: the connection itself went (dropped, timed out, or 421 closing it). */
    static boolean connectionLost(MessagingException e) {
        int code = MailRelayFailures.replyCodeIn(e);
        return code < 0 || code == 421;
    }
}
