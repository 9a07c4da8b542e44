package cn.yekuo.hub.billing;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.yekuo.hub.domain.Stage;

/** The hub's messages to billing on {@code yk.billing.status} (docs/contract.md §1). */
public class StatusMessages {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final ObjectMapper json;
    private final ZoneId zone;

    public StatusMessages(ObjectMapper json, ZoneId businessZone) {
        this.json = json;
        this.zone = businessZone;
    }

    /** A CaseStatusChanged with a fresh messageId; every key present, null where nothing applies. */
    public Message caseStatusChanged(String applicationNo, String caseNo, Stage stage, Stage previous,
                                     OffsetDateTime at, OffsetDateTime dueAt, String reason) {
        String messageId = UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "CaseStatusChanged");
        body.put("messageId", messageId);
        body.put("applicationNo", applicationNo);
        body.put("caseNo", caseNo);
        body.put("stage", stage.name());
        body.put("previousStage", previous == null ? null : previous.name());
        body.put("at", format(at));
        body.put("dueAt", format(dueAt));
        body.put("reason", reason);
        return new Message(messageId, write(body), headers("CaseStatusChanged", messageId, applicationNo, caseNo));
    }

    public Message messageRejected(MessageRejectedException rejection, OffsetDateTime at) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "MessageRejected");
        body.put("messageId", rejection.messageId());
        body.put("applicationNo", rejection.applicationNo());
        body.put("errorCode", rejection.code().name());
        body.put("errors", rejection.errors());
        body.put("at", format(at));
        String ownId = UUID.randomUUID().toString();
        Map<String, String> headers = headers("MessageRejected", ownId, rejection.applicationNo(), null);
        if (rejection.messageId() != null) {
            headers.put("rejectedMessageId", rejection.messageId());
        }
        return new Message(ownId, write(body), headers);
    }

    /**
     * JMS properties that let billing select its messages ({@code applicationNo = '…'}), keep per-case order
     * with message groups, and let Artemis drop a re-published duplicate.
     */
    private static Map<String, String> headers(String type, String ownMessageId, String applicationNo, String caseNo) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("type", type);
        if (applicationNo != null) {
            h.put("applicationNo", applicationNo);
            h.put("JMSXGroupID", applicationNo);
        }
        if (caseNo != null) {
            h.put("caseNo", caseNo);
        }
        h.put("_AMQ_DUPL_ID", ownMessageId);
        return h;
    }

    public String format(OffsetDateTime t) {
        return t == null ? null : ISO.format(t.atZoneSameInstant(zone).toOffsetDateTime().truncatedTo(ChronoUnit.SECONDS));
    }

    private String write(Map<String, Object> body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message ready for the outbox or for a direct send. */
    public record Message(String messageId, String payload, Map<String, String> headers) {
    }
}
