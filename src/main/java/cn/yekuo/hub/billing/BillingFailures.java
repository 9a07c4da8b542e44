package cn.yekuo.hub.billing;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.nio.channels.ClosedByInterruptException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.Exchange;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

import cn.yekuo.hub.config.HubProperties;

/**
 * Tells a passing fault (database down, lock conflict, a render refused or interrupted while the hub stops) from poison. A passing fault rolls the JMS
 * transaction back and the broker redelivers with backoff for as long as it lasts; poison is dead-lettered
 * after a few deliveries so it cannot block the queue.
 */
@Component("billingFailures")
public class BillingFailures {

    private final int maxFailedDeliveries;

    public BillingFailures(HubProperties hub) {
        this.maxFailedDeliveries = hub.intake().maxFailedDeliveries();
    }

    public boolean isPoison(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (isTransient(cause)) {
            return false;
        }
        Integer deliveries = exchange.getMessage().getHeader("JMSXDeliveryCount", Integer.class);
        return deliveries != null && deliveries >= maxFailedDeliveries;
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof ConcurrencyFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof ConnectException) {
                return true;
            }
            // the hub is stopping (a render refused or interrupted by the shutdown): the message is not at fault
            if (t instanceof RejectedExecutionException || t instanceof InterruptedException
                    || t instanceof InterruptedIOException || t instanceof ClosedByInterruptException
                    || t instanceof CancellationException) {
                return true;
            }
            // SQLState class 08: connection exception, on every driver
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
