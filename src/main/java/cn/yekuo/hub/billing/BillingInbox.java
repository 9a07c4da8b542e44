package cn.yekuo.hub.billing;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.metrics.BusinessCounters;

/** The hub's side of the billing queues: reading messages, and answering the ones it must refuse. */
@Component("billingInbox")
public class BillingInbox {

    public static final String ERROR_CODE = "yk_error_code";
    public static final String ERROR_MESSAGE = "yk_error_message";
    public static final String ORIGINAL_QUEUE = "yk_original_queue";
    private static final Logger log = LoggerFactory.getLogger(BillingInbox.class);

    private final BillingMessageReader reader;
    private final StatusMessages status;
    private final Clock clock;
    private final BusinessCounters counters;

    public BillingInbox(BillingMessageReader reader, StatusMessages status, Clock clock, BusinessCounters counters) {
        this.reader = reader;
        this.status = status;
        this.clock = clock;
        this.counters = counters;
        counters.knownRejectionCodes(java.util.Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    public BillingMessage readApplication(Exchange exchange) {
        return reader.read(jsonBody(exchange), BillingMessageReader.APPLICATION_TYPES);
    }

    public BillingMessage readEvent(Exchange exchange) {
        return reader.read(jsonBody(exchange), BillingMessageReader.EVENT_TYPES);
    }

    /** Only text and bytes messages can hold UTF-8 JSON; anything else was never opened and is refused. */
    private static Object jsonBody(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof JsonBodyConverter.Unreadable unreadable) {
            throw new MessageRejectedException(ErrorCode.MALFORMED_JSON, List.of("the body must be UTF-8 JSON in a text or bytes "
                    + "message, not a " + unreadable.kind()), null, null);
        }
        return body;
    }

    /** Marks the original message for the dead-letter queue with why it was rejected. */
    public void markRejected(Exchange exchange) {
        MessageRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, MessageRejectedException.class);
        try (MDC.MDCCloseable app = MDC.putCloseable("applicationNo", rejection.applicationNo())) {
            log.warn("Rejected billing message {} ({}): {}", rejection.messageId(), rejection.code(), rejection.errors());
        }
        mark(exchange, rejection.code().name(), String.join("; ", rejection.errors()));
    }

    /** Replaces the message with the MessageRejected answer for billing. */
    public void answerRejected(Exchange exchange) {
        MessageRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, MessageRejectedException.class);
        counted(exchange, rejection.code());
        answer(exchange, rejection);
    }

    /** The original is on yk.dlq by now (the route sent it before asking for the answer). */
    private void counted(Exchange exchange, ErrorCode code) {
        boolean application = "billing-intake".equals(exchange.getFromRouteId());
        counters.deadLettered(application ? BusinessCounters.BILLING_QUEUES.get(0) : BusinessCounters.BILLING_QUEUES.get(1));
        if (application) {
            counters.applicationRejected(code.name());
        }
    }

    private void answer(Exchange exchange, MessageRejectedException rejection) {
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
        mark(exchange, ErrorCode.PROCESSING_FAILED.name(), String.valueOf(cause));
    }

    /** Replaces a poison message with the MessageRejected that tells billing it was set aside. */
    public void answerUnprocessable(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer deliveries = exchange.getMessage().getHeader("JMSXDeliveryCount", Integer.class);
        String[] ids = BillingMessageReader.peekIds(exchange.getMessage().getBody());
        MessageRejectedException rejection = new MessageRejectedException(ErrorCode.PROCESSING_FAILED,
                List.of("message: processing failed on " + deliveries + " deliveries ("
                        + (cause == null ? "unknown error" : cause.getClass().getSimpleName())
                        + "); it is kept on yk.dlq for an operator"), ids[0], ids[1]);
        counted(exchange, ErrorCode.PROCESSING_FAILED);
        answer(exchange, rejection);
    }

    private static void mark(Exchange exchange, String code, String text) {
        Message message = exchange.getMessage();
        if (message.getBody() instanceof JsonBodyConverter.Unreadable || message.getBody() instanceof JsonBodyConverter.TooLarge) {
            // e.g. an ObjectMessage, never deserialised, or a body never read: the dead letter says what it was instead
            message.setBody(message.getBody().toString());
        }
        message.setHeader(ERROR_CODE, code);
        message.setHeader(ERROR_MESSAGE, text.length() > 1000 ? text.substring(0, 1000) : text);
        // where an operator's replay sends it back (docs/operations.md, dead letters)
        if (exchange.getFromEndpoint() instanceof JmsEndpoint from) {
            message.setHeader(ORIGINAL_QUEUE, from.getDestinationName());
        }
    }
}
