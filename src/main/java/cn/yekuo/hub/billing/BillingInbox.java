package cn.yekuo.hub.billing;

import java.time.Clock;
import java.time.OffsetDateTime;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The hub's side of the billing queues: reading messages, and answering the ones it must refuse. */
@Component("billingInbox")
public class BillingInbox {

    public static final String ERROR_CODE = "yk_error_code";
    public static final String ERROR_MESSAGE = "yk_error_message";
    private static final Logger log = LoggerFactory.getLogger(BillingInbox.class);

    private final BillingMessageReader reader;
    private final StatusMessages status;
    private final Clock clock;

    public BillingInbox(BillingMessageReader reader, StatusMessages status, Clock clock) {
        this.reader = reader;
        this.status = status;
        this.clock = clock;
    }

    public BillingMessage readApplication(Exchange exchange) {
        return reader.read(exchange.getMessage().getBody(), BillingMessageReader.APPLICATION_TYPES);
    }

    public BillingMessage readEvent(Exchange exchange) {
        return reader.read(exchange.getMessage().getBody(), BillingMessageReader.EVENT_TYPES);
    }

    /** Marks the original message for the dead-letter queue with why it was rejected. */
    public void markRejected(Exchange exchange) {
        MessageRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, MessageRejectedException.class);
        log.warn("Rejected billing message {} ({}): {}", rejection.messageId(), rejection.code(), rejection.errors());
        mark(exchange.getMessage(), rejection.code().name(), String.join("; ", rejection.errors()));
    }

    /** Replaces the message with the MessageRejected answer for billing. */
    public void answerRejected(Exchange exchange) {
        MessageRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, MessageRejectedException.class);
        StatusMessages.Message answer = status.messageRejected(rejection, OffsetDateTime.now(clock));
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.getHeaders().putAll(answer.headers());
        out.setBody(answer.payload());
    }

    /** Marks a message that failed for a non-transient reason too many times (poison). */
    public void markUnprocessable(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.error("Dead-lettering a billing message after repeated failures", cause);
        mark(exchange.getMessage(), "PROCESSING_FAILED", String.valueOf(cause));
    }

    private static void mark(Message message, String code, String text) {
        message.setHeader(ERROR_CODE, code);
        message.setHeader(ERROR_MESSAGE, text.length() > 1000 ? text.substring(0, 1000) : text);
    }
}
