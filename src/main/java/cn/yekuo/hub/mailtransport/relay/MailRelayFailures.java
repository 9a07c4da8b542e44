package cn.yekuo.hub.mailtransport.relay;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;

import org.apache.camel.Exchange;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.outbox.OutboxEntry;

/**
 * What the {@code mail-relay} route does with a mail that could not be sent (issue 15: one bad recipient never holds
 * back the others). The state lives on the mail's outbox row, so it survives restarts:
 * <ul>
 * <li>a refusal of the recipient for good (a 5xx reply to RCPT TO, an address that cannot be parsed) dead-letters that
 * mail at once, with a notice to the representatives;</li>
 * <li>a 5xx reply to the sender (MAIL FROM) or to the data (a sending quota, a content filter, a size limit) may hold for
 * every mail of the server: the run stops and only this mail counts one attempt, as a passing failure with backoff, so
 * one refusal never dead-letters a batch and a mail the server refuses for its content cannot hold back the others;</li>
 * <li>any other failure of that mail (a 4xx reply, a connection lost while sending, a stored attachment that cannot be
 * read) counts one attempt and puts the mail back until {@code next_attempt_at} (exponential backoff); after
 * {@code yk.mail.relay-max-attempts} it is dead-lettered the same way;</li>
 * <li>a server that cannot be reached or will not serve (connection refused, unknown host, login refused, a failed TLS
 * handshake or missing STARTTLS, a 421 reply
 * or a bad greeting) is an outage, not the mail's fault: the run stops, no attempt is counted, and the relay tries
 * again at its next poll (else a long outage would dead-letter every waiting mail).</li>
 * </ul>
 */
@Component("mailRelayFailures")
public class MailRelayFailures {

    private static final Logger log = LoggerFactory.getLogger(MailRelayFailures.class);

    /** How the failure of one mail is handled. */
    public enum Kind { PERMANENT, SERVER_REFUSAL, PASSING, OUTAGE }

    /**
     * Exchange property holding why the run must stop after this mail: the route throws it after the failure is
     * recorded ({@link #endRunIfAsked}), outside the doTry that caught it.
     */
    public static final String STOP_RUN = "ykMailRelayStop";

    private final Outbox outbox;
    private final DeadMailNotices notices;
    private final Outbox.Retry retry;
    /** The failure and its dead-letter notice commit together (null: in the caller's transaction, tests). */
    private final TransactionTemplate recording;

    @Autowired
    public MailRelayFailures(Outbox outbox, DeadMailNotices notices, HubProperties properties,
                             PlatformTransactionManager transactions) {
        this.outbox = outbox;
        this.notices = notices;
        this.retry = new Outbox.Retry(properties.mail().relayMaxAttempts(), properties.mail().relayBackoff(),
                properties.mail().relayMaxBackoff());
        this.recording = transactions == null ? null : new TransactionTemplate(transactions);
    }

    public MailRelayFailures(Outbox outbox, DeadMailNotices notices, HubProperties properties) {
        this(outbox, notices, properties, null);
    }

    /**
     * The route's doCatch step: records the failure on the mail's row in a commit of its own; an outage (nothing
     * recorded) and a refusal by the server (recorded) mark the run to stop ({@link #STOP_RUN}), thrown next.
     */
    public void failed(Exchange exchange) {
        OutboxEntry entry = exchange.getProperty(Outbox.ENTRY, OutboxEntry.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Kind kind = classify(e);
        if (kind == Kind.OUTAGE) {
            exchange.setProperty(STOP_RUN, e);
            return;
        }
        String error = describe(e);
        if (kind == Kind.SERVER_REFUSAL) {
            exchange.setProperty(STOP_RUN, new IllegalStateException(
                    "the SMTP server refused a mail's sender or data (" + error + "); the other mails wait for the next run"));
        }
        Outbox.Failure recorded = recording == null ? record(entry, error, kind)
                : recording.execute(status -> record(entry, error, kind));
        if (!recorded.recorded()) {
            log.info("Mail {} failed here ({}) but was delivered or taken over by another node meanwhile", entry.messageId(), error);
        } else if (recorded.dead()) {
            log.error("Mail {} to {} dead-lettered after {} attempt(s), never tried again: {}", entry.messageId(),
                    entry.headers().get("to"), recorded.attempts(), error);
        } else {
            log.warn("Mail {} to {} not sent (attempt {} of {}), tried again from {}: {}", entry.messageId(),
                    entry.headers().get("to"), recorded.attempts(), retry.maxAttempts(), recorded.retryAt(), error);
        }
    }

    /** The failed attempt on the mail's row and, for a mail given up on, the notice to the representatives. */
    private Outbox.Failure record(OutboxEntry entry, String error, Kind kind) {
        Outbox.Failure recorded = outbox.recordFailure(entry.id(), error, kind == Kind.PERMANENT, retry);
        if (recorded.dead()) {
            notices.notifyDead(entry, recorded.attempts(), error, kind == Kind.PERMANENT);
        }
        return recorded;
    }

    /** The relay's step after each mail: ends the run with the reason {@link #failed} left, if any. */
    public void endRunIfAsked(Exchange exchange) throws Exception {
        Exception reason = exchange.getProperty(STOP_RUN, Exception.class);
        if (reason != null) {
            exchange.removeProperty(STOP_RUN);
            throw reason;
        }
    }

    /**
     * The SMTP reply codes anywhere in the failure decide: only a recipient's 5xx (or an unparsable address) is the
     * mail's for good; a sender's or the data's 5xx is the server's; without a code, an unreachable server is an outage.
     */
    public static Kind classify(Throwable failure) {
        boolean recipientRefused = false;
        boolean serverRefused = false;
        boolean outage = false;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Deque<Throwable> todo = new ArrayDeque<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (seen.put(t, Boolean.TRUE) != null) {
                continue;
            }
            int code = replyCode(t);
            boolean refusal = code >= 500 && code < 600 && code != 530 && code != 535;
            if ((refusal && t instanceof SMTPAddressFailedException) || t instanceof AddressException) {
                recipientRefused = true;
            } else if (refusal) {
                serverRefused = true;
            }
            if (t instanceof MailConnectException || t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof AuthenticationFailedException
                    || code == 530 || code == 535 || code == 421 || isBadGreeting(t) || isTlsFailure(t)) {
                outage = true;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            if (t instanceof MessagingException m && m.getNextException() != null) {
                todo.add(m.getNextException());
            }
        }
        if (recipientRefused) {
            return Kind.PERMANENT;
        }
        if (outage) {
            return Kind.OUTAGE;
        }
        return serverRefused ? Kind.SERVER_REFUSAL : Kind.PASSING;
    }

    /**
     * A TLS handshake that fails (a certificate not trusted or not for this host) or a server without the STARTTLS that
     * yk.mail.smtp-security requires: the connection's fault, not any mail's.
     */
    private static boolean isTlsFailure(Throwable t) {
        // not any SSLException: a connection reset during DATA on SMTPS (a mail too large for the server) is one too,
        // and that is the mail's attempt, else the mail would block the relay uncounted
        return t instanceof javax.net.ssl.SSLHandshakeException
                || (t instanceof javax.net.ssl.SSLException && t.getMessage() != null
                        && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("unrecognized ssl message"))
                || (t instanceof MessagingException && t.getMessage() != null && t.getMessage().contains("STARTTLS"));
    }

    /** Angus Mail reports a greeting other than 220 (e.g. {@code 421 too busy}) with no code, only this message. */
    private static boolean isBadGreeting(Throwable t) {
        return t instanceof MessagingException && t.getMessage() != null && t.getMessage().startsWith("Got bad greeting");
    }

    /** The first SMTP reply code anywhere in a failure (causes, next exceptions), or -1 when the server gave none. */
    static int replyCodeIn(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 20; depth++) {
            int code = replyCode(t);
            if (code > 0) {
                return code;
            }
            t = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
        }
        return -1;
    }

    private static int replyCode(Throwable t) {
        if (t instanceof SMTPAddressFailedException a) {
            return a.getReturnCode();
        }
        if (t instanceof SMTPSenderFailedException s) {
            return s.getReturnCode();
        }
        if (t instanceof SMTPSendFailedException s) {
            return s.getReturnCode();
        }
        return -1;
    }

    /** The most specific message: the SMTP server's own reply where there is one. */
    static String describe(Throwable failure) {
        Throwable best = failure;
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (replyCode(t) > 0) {
                best = t;
                break;
            }
            Throwable next = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
            if (next == null) {
                best = t;
            }
            t = next;
        }
        String text = best.getClass().getSimpleName() + ": " + String.valueOf(best.getMessage()).strip();
        return text.length() > 1900 ? text.substring(0, 1900) : text;
    }
}
