package cn.yekuo.hub.billing;

import java.util.List;

/**
 * Bad input from the billing system: answered by a MessageRejected, the original dead-lettered, nothing
 * written to the case store. Thrown only before anything is committed.
 */
public class MessageRejectedException extends RuntimeException {

    private final ErrorCode code;
    private final List<String> errors;
    private final String messageId;
    private final String applicationNo;

    public MessageRejectedException(ErrorCode code, List<String> errors, String messageId, String applicationNo) {
        super(code + ": " + String.join("; ", errors));
        this.code = code;
        this.errors = List.copyOf(errors);
        this.messageId = messageId;
        this.applicationNo = applicationNo;
    }

    public MessageRejectedException(ErrorCode code, String error, BillingMessage message) {
        this(code, List.of(error), message.messageId(), message.applicationNo());
    }

    public ErrorCode code() {
        return code;
    }

    public List<String> errors() {
        return errors;
    }

    public String messageId() {
        return messageId;
    }

    public String applicationNo() {
        return applicationNo;
    }
}
