package cn.yekuo.hub.billing;

import com.fasterxml.jackson.databind.JsonNode;

/** A billing message that is well-formed JSON, of a known type and valid against its schema. */
public record BillingMessage(String type, String messageId, String applicationNo, JsonNode json) {

    public String text(String field) {
        JsonNode node = json.path(field);
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
