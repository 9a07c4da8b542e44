package cn.yekuo.hub.broker;

import java.util.Set;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, at the send, a message to billing's queues larger than the limit, whatever the protocol. Artemis has no
 * per-message size setting (max-size-bytes bounds an address, for paging), so the embedded broker gets this plugin.
 */
public class BillingMessageSizeLimit implements ActiveMQServerMessagePlugin {

    private static final Logger log = LoggerFactory.getLogger(BillingMessageSizeLimit.class);

    private final Set<String> addresses;
    private final long maxBytes;

    public BillingMessageSizeLimit(Set<String> addresses, long maxBytes) {
        this.addresses = Set.copyOf(addresses);
        this.maxBytes = maxBytes;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue)
            throws ActiveMQException {
        if (message.getAddress() == null || !addresses.contains(message.getAddress())) {
            return;
        }
        long size = message.getPersistentSize();
        if (size > maxBytes) {
            log.warn("Refused a {}-byte message to {} from user '{}': the limit is {} bytes", size, message.getAddress(),
                    session == null ? null : session.getUsername(), maxBytes);
            throw new ActiveMQException("message of " + size + " bytes refused: " + message.getAddress()
                    + " takes messages of at most " + maxBytes + " bytes");
        }
    }
}
