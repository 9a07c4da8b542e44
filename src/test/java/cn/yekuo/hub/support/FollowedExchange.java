package cn.yekuo.hub.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * A {@code NotifyBuilder} filter that follows one exchange from its arrival to its end: it recognises the exchange
 * by what it arrived with (e.g. the JMS correlation id a test sent) and keeps recognising it by its exchange id
 * after a route replaced the message (the error handling of the billing routes replaces headers and body). Put it
 * in a builder that sees the exchange arrive (one without {@code wereSentTo}, which hides the arrival); other
 * builders may share it.
 */
public final class FollowedExchange implements Predicate {

    private final Predicate arrival;
    private final Set<String> exchangeIds = ConcurrentHashMap.newKeySet();

    private FollowedExchange(Predicate arrival) {
        this.arrival = arrival;
    }

    /** The exchange of the JMS message sent with this correlation id. */
    public static FollowedExchange jmsCorrelationId(String correlationId) {
        return new FollowedExchange(e -> correlationId.equals(e.getIn().getHeader("JMSCorrelationID", String.class)));
    }

    @Override
    public boolean matches(Exchange exchange) {
        if (arrival.matches(exchange)) {
            exchangeIds.add(exchange.getExchangeId());
        }
        return exchangeIds.contains(exchange.getExchangeId());
    }
}
