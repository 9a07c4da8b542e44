package cn.yekuo.hub.outbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the relay of an outbox channel once the transaction that wrote rows for it has committed, so the rows leave
 * right away instead of at the relay's next poll. The poll stays the safety net: rows left by a crash, rows written
 * by another hub node (a commit wakes only the relays of its own node), retries after a failed send.
 *
 * <p>Relays are named by the channel they deliver: {@link Outbox#MAIL} (route {@code mail-relay}),
 * {@link Outbox#DOCUMENT} ({@code document-issuer}) and {@link Outbox#BILLING_STATUS} ({@code outbox-relay}); the
 * outbox takes no row of another channel.
 */
@Component
public class OutboxWakeUp {

    private final Map<String, Runnable> relays = new ConcurrentHashMap<>();

    /** The relay that delivers a channel's rows. */
    public static String relayOf(String channel) {
        return Outbox.MAIL.equals(channel) || Outbox.DOCUMENT.equals(channel) ? channel : Outbox.BILLING_STATUS;
    }

    /**
     * Wakes the channel's relay after the current transaction commits (never on rollback: nothing must leave before
     * commit), or at once when no transaction is active. One signal per transaction and relay, however many rows.
     */
    public void afterCommit(String channel) {
        String relay = relayOf(channel);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            signal(relay);
            return;
        }
        // the list holds the current transaction's synchronizations only (an outer, suspended one keeps its own)
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (registered instanceof SignalAfterCommit s && s.relay.equals(relay)) {
                return;
            }
        }
        TransactionSynchronizationManager.registerSynchronization(new SignalAfterCommit(relay));
    }

    /** Runs the relay now (if it listens on this node); a relay already running runs once more afterwards. */
    public void signal(String relay) {
        Runnable wake = relays.get(relay);
        if (wake != null) {
            wake.run();
        }
    }

    /** Called by the relay's scheduler while its route runs. */
    void listen(String relay, Runnable wake) {
        relays.put(relay, wake);
    }

    void stopListening(String relay, Runnable wake) {
        relays.remove(relay, wake);
    }

    private final class SignalAfterCommit implements TransactionSynchronization {

        private final String relay;

        SignalAfterCommit(String relay) {
            this.relay = relay;
        }

        @Override
        public void afterCommit() {
            signal(relay);
        }
    }
}
