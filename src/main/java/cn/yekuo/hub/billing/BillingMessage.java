package cn.yekuo.hub.billing;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

/** A billing message that is well-formed JSON, of a known type and valid against its schema. */
public record BillingMessage(String type, String messageId, String applicationNo, JsonNode json) {

    public String text(String field) {
        JsonNode node = json.path(field);
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    /** A date-time field (RFC 3339, as the schema checked it), or null when absent. */
    public OffsetDateTime time(String field) {
        String text = text(field);
        return text == null ? null : Rfc3339.parse(text);
    }
}
