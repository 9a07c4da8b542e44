package cn.yekuo.hub.billing;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.springframework.jms.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;

/**
 * How the billing consumers read a message body: text or bytes (both UTF-8 JSON), nothing else. An ObjectMessage
 * or any other kind is never opened (so never deserialised): it becomes {@link Unreadable} and is rejected.
 */
@Component("billingBodyConverter")
public class JsonBodyConverter implements MessageConverter {

    private final long maxBytes;

    public JsonBodyConverter(HubProperties hub) {
        this.maxBytes = hub.intake().maxMessageBytes();
    }

    /** A bytes message over {@code yk.intake.max-message-bytes}: its length was read, its body never. */
    public record TooLarge(long bytes) {
        @Override
        public String toString() {
            return "(a BytesMessage of " + bytes + " bytes, over the limit: its body was not read)";
        }
    }

    /** The body of a message that cannot hold JSON, named by its kind. */
    public record Unreadable(String kind) {
        @Override
        public String toString() {
            return "(a " + kind + " is not read: billing messages are UTF-8 JSON text)";
        }
    }

    @Override
    public Object fromMessage(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            if (bytes.getBodyLength() > maxBytes) {
                return new TooLarge(bytes.getBodyLength());
            }
            byte[] body = new byte[(int) Math.min(bytes.getBodyLength(), Integer.MAX_VALUE - 8)];
            bytes.readBytes(body);
            return body;
        }
        return new Unreadable(message.getClass().getSimpleName());
    }

    @Override
    public Message toMessage(Object object, Session session) throws JMSException {
        return object instanceof byte[] bytes ? bytesMessage(session, bytes) : session.createTextMessage(String.valueOf(object));
    }

    private static Message bytesMessage(Session session, byte[] bytes) throws JMSException {
        BytesMessage m = session.createBytesMessage();
        m.writeBytes(bytes);
        return m;
    }
}
