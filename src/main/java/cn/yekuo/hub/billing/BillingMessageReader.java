package cn.yekuo.hub.billing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Reads a billing message body (text or bytes, UTF-8): size limit, JSON syntax, known type for the
 * queue, then the project's JSON Schema of that type. Every failure names the field it concerns.
 */
public class BillingMessageReader {

    public static final Set<String> APPLICATION_TYPES = Set.of("ApplicationSubmitted");
    public static final Set<String> EVENT_TYPES = Set.of("MaterialsSupplemented", "FeesSettled", "ArrearsCleared",
            "ContractSigned", "ApplicationWithdrawn");

    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final Map<String, JsonSchema> schemas = new HashMap<>();
    private final int maxBytes;

    public BillingMessageReader(int maxBytes) {
        this.maxBytes = maxBytes;
        // the schemas' date-time is RFC 3339 as the hub parses it (Rfc3339), so whatever passes the schema is read
        JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV202012()).format(new Rfc3339Format()).build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.metaSchema(meta));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH)
                .build();
        for (String type : union(APPLICATION_TYPES, EVENT_TYPES)) {
            try (InputStream in = BillingMessageReader.class.getResourceAsStream("/schemas/billing/" + type + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("missing JSON schema for " + type);
                }
                schemas.put(type, factory.getSchema(in, config));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read JSON schema for " + type, e);
            }
        }
    }

    /** Parses and validates a message arriving on a queue that accepts {@code acceptedTypes}. */
    public BillingMessage read(Object body, Set<String> acceptedTypes) {
        if (body instanceof JsonBodyConverter.TooLarge tooLarge) {
            // a bytes message over the limit: its body was never read, so there are no ids to report
            throw tooLarge(tooLarge.bytes(), null, null);
        }
        if (body instanceof String text && text.length() > maxBytes) {
            // at least one UTF-8 byte per char: over the limit without encoding it
            Ids ids = Ids.peek(text.substring(0, maxBytes).getBytes(StandardCharsets.UTF_8));
            throw tooLarge(utf8Length(text), ids.messageId, ids.applicationNo);
        }
        byte[] bytes = bytesOf(body);
        if (bytes.length > maxBytes) {
            Ids ids = Ids.peek(bytes);
            throw tooLarge(bytes.length, ids.messageId, ids.applicationNo);
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (IOException e) {
            Ids ids = Ids.peek(bytes);
            throw new MessageRejectedException(ErrorCode.MALFORMED_JSON, List.of(firstLine(e.getMessage())),
                    ids.messageId, ids.applicationNo);
        }
        if (node == null || !node.isObject()) {
            throw new MessageRejectedException(ErrorCode.MALFORMED_JSON, List.of("the message must be a JSON object"), null, null);
        }
        String messageId = textOrNull(node.get("messageId"));
        String applicationNo = textOrNull(node.get("applicationNo"));
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new MessageRejectedException(ErrorCode.SCHEMA_VIOLATION, List.of("type: is required and must be a string"),
                    messageId, applicationNo);
        }
        String type = typeNode.asText();
        if (!acceptedTypes.contains(type)) {
            throw new MessageRejectedException(ErrorCode.UNKNOWN_TYPE,
                    List.of("type: '" + type + "' is not accepted here; expected one of " + acceptedTypes.stream().sorted().toList()),
                    messageId, applicationNo);
        }
        List<String> errors = schemas.get(type).validate(node).stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
                .map(BillingMessageReader::describe)
                .distinct()
                .toList();
        if (!errors.isEmpty()) {
            throw new MessageRejectedException(ErrorCode.SCHEMA_VIOLATION, errors, messageId, applicationNo);
        }
        return new BillingMessage(type, messageId, applicationNo, node);
    }

    private MessageRejectedException tooLarge(long bytes, String messageId, String applicationNo) {
        return new MessageRejectedException(ErrorCode.TOO_LARGE,
                List.of("message is " + bytes + " bytes; the limit is " + maxBytes + " bytes"), messageId, applicationNo);
    }

    private static long utf8Length(String s) {
        return s.codePoints().mapToLong(c -> c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4).sum();
    }

    /** The top-level messageId and applicationNo of a message the hub could not use, as far as they can be read. */
    public static String[] peekIds(Object body) {
        if (!(body instanceof String) && !(body instanceof byte[])) {
            return new String[2];
        }
        Ids ids = Ids.peek(bytesOf(body));
        return new String[] {ids.messageId, ids.applicationNo};
    }

    /** JSON Schema's {@code date-time}, checked by the parser the hub reads it with. */
    static final class Rfc3339Format implements Format {
        @Override
        public String getName() {
            return "date-time";
        }

        @Override
        public boolean matches(ExecutionContext context, String value) {
            try {
                Rfc3339.parse(value);
                return true;
            } catch (java.time.DateTimeException e) {
                return false;
            }
        }
    }

    /** "transformerKva: must be a number": the field's path, then what is wrong with it. */
    static String describe(ValidationMessage m) {
        String path = dotted(m.getInstanceLocation());
        Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
        String what = switch (m.getType()) {
            case "required" -> {
                String field = m.getProperty();
                path = path.isEmpty() ? field : path + "." + field;
                yield "is required";
            }
            case "type" -> "must be " + article(args.length > 1 ? String.valueOf(args[1]) : "?");
            case "maxLength" -> "must be at most " + arg(args, 0) + " characters";
            case "minLength" -> "must not be empty";
            case "enum", "const" -> "must be one of " + arg(args, 0);
            case "format" -> "must be a valid " + arg(args, 0)
                    + (String.valueOf(arg(args, 0)).equals("date-time") ? " with offset (ISO-8601, e.g. 2026-11-27T09:30:00+08:00)" : "");
            case "minimum", "exclusiveMinimum" -> "must be greater than " + (m.getType().equals("minimum") ? "or equal to " : "") + arg(args, 0);
            case "maximum", "exclusiveMaximum" -> "must be at most " + arg(args, 0);
            case "pattern" -> "does not match the expected pattern " + arg(args, 0);
            case "uniqueItems" -> "must not repeat an item";
            case "maxItems" -> "must have at most " + arg(args, 0) + " items";
            case "minItems" -> "must have at least " + arg(args, 0) + " item(s)";
            default -> m.getMessage().replaceFirst("^\\$\\.?[^:]*:\\s*", "");
        };
        return (path.isEmpty() ? "message" : path) + ": " + what;
    }

    /** customer.name, materials[2]: the way a billing engineer names a field. */
    private static String dotted(com.networknt.schema.JsonNodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(element);
            }
        }
        return path.toString();
    }

    private static Object arg(Object[] args, int i) {
        return args.length > i ? args[i] : "?";
    }

    private static String article(String jsonType) {
        return switch (jsonType) {
            case "integer" -> "an integer";
            case "object", "array" -> "an " + jsonType;
            default -> "a " + jsonType;
        };
    }

    static byte[] bytesOf(Object body) {
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        return body == null ? new byte[0] : String.valueOf(body).getBytes(StandardCharsets.UTF_8);
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not valid JSON";
        }
        int nl = s.indexOf('\n');
        return "not valid JSON: " + (nl > 0 ? s.substring(0, nl) : s);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Best-effort top-level messageId and applicationNo of an unusable message, read as a stream. */
    private record Ids(String messageId, String applicationNo) {
        static Ids peek(byte[] bytes) {
            String messageId = null;
            String applicationNo = null;
            try (JsonParser p = new JsonFactory().createParser(bytes)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return new Ids(null, null);
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.VALUE_STRING && "messageId".equals(name)) {
                        messageId = p.getText();
                    } else if (value == JsonToken.VALUE_STRING && "applicationNo".equals(name)) {
                        applicationNo = p.getText();
                    } else {
                        p.skipChildren();
                    }
                    if (messageId != null && applicationNo != null) {
                        break;
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // whatever was read before the syntax error is still worth reporting
            }
            return new Ids(cap(messageId), cap(applicationNo));
        }

        private static String cap(String s) {
            return s == null || s.length() <= 128 ? s : s.substring(0, 128);
        }
    }
}
