package cn.yekuo.hub.mailtransport.relay;

import cn.yekuo.hub.mailtransport.MailConfiguration;

import java.util.Properties;

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
 * one SMTP connection per relay run instead of one per mail. The run opens a batch ({@link #openBatch}); the first mail
 * connects and logs in, the next ones are sent over the same connection, and the connection is closed when the run's
 * exchange completes, whatever the outcome. Each mail is still committed alone (the route's {@code eachMailCommits}).
 *
 * <p>A failed send closes the connection: the next mail connects afresh, as every mail did before. A mail that fails on
 * a connection already used by an earlier mail without any answer of the server about this mail (the connection was
 * dropped, or the server said {@code 421} and closed it, e.g. a limit of mails per connection) is sent once more on a
 * fresh connection, so the kept connection never costs a mail an attempt; what that second send answers is the mail's
 * outcome, as before ({@link MailRelayFailures}). Outside a batch every mail gets a connection of its own.
 */
@Component("relayMailSender")
public class RelayMailSender extends DefaultJavaMailSender {

    private static final Logger log = LoggerFactory.getLogger(RelayMailSender.class);
    /** What the route's endpoint had: connect and read within 5 s, a server that stops reading mid-mail fails after 30 s. */
    static final int CONNECT_MILLIS = 5000;
    static final int WRITE_MILLIS = 30000;

    private final ThreadLocal<Batch> batch = new ThreadLocal<>();

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

    /** The route's step before its split: the mails of this run share one connection, closed when the run ends. */
    public void openBatch(Exchange exchange) {
        Batch run = new Batch();
        Batch previous = batch.get();
        if (previous != null) {
            previous.end();
        }
        batch.set(run);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                run.end();
                if (batch.get() == run) {
                    batch.remove();
                }
            }
        });
    }

    @Override
    public void send(MimeMessage message) throws MessagingException {
        Batch run = batch.get();
        if (run == null || run.ended) {
            super.send(message);
            return;
        }
        run.send(message);
    }

    /** The connection of one relay run. */
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
