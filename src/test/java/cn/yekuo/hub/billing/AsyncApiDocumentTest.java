package cn.yekuo.hub.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.support.BillingClient;

/**
 * docs/asyncapi.yaml cannot drift from the code: its channels are the queues the routes use, its payloads are the
 * schemas the hub validates with, its examples (and the test examples) validate against them, and the JMS
 * properties the hub sets are the ones it lists.
 */
class AsyncApiDocumentTest {

    private static final Path DOCS = Path.of("docs");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode API = read();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    // as BillingMessageReader validates: formats asserted
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).locale(Locale.ENGLISH).build();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("asyncapi.yaml").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("an AsyncAPI 3.0 document whose channels are the four queues the routes read and write")
    void channelsAreTheQueuesOfTheRoutes() throws IOException {
        assertThat(API.path("asyncapi").asText()).startsWith("3.0");
        Map<String, String> addresses = Map.of("applications", "yk.billing.applications", "events", "yk.billing.events",
                "status", "yk.billing.status", "deadLetters", "yk.dlq");
        assertThat(names(API.path("channels"))).containsExactlyInAnyOrderElementsOf(addresses.keySet());
        String routes = routesText();
        addresses.forEach((channel, queue) -> {
            assertThat(API.path("channels").path(channel).path("address").asText()).as(channel).isEqualTo(queue);
            assertThat(routes).as("routes use jms:queue:" + queue).contains("jms:queue:" + queue);
        });
        assertThat(channelMessages("applications")).containsExactlyInAnyOrderElementsOf(BillingMessageReader.APPLICATION_TYPES);
        assertThat(channelMessages("events")).containsExactlyInAnyOrderElementsOf(BillingMessageReader.EVENT_TYPES);
        assertThat(channelMessages("status")).containsExactlyInAnyOrder("CaseStatusChanged", "MessageRejected");
    }

    @Test
    @DisplayName("every schema of src/main/resources/schemas/billing is one message's payload, by reference")
    void payloadsReferenceTheHubsSchemas() throws IOException {
        Set<String> referenced = new HashSet<>();
        for (String message : names(API.path("components").path("messages"))) {
            JsonNode payload = message(message).path("payload");
            if (payload.has("schema")) {
                String ref = payload.path("schema").path("$ref").asText();
                assertThat(ref).as(message + " payload $ref").isEqualTo("../src/main/resources/schemas/billing/" + message + ".json");
                assertThat(DOCS.resolve(ref)).exists();
                referenced.add(DOCS.resolve(ref).normalize().getFileName().toString());
            }
        }
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/schemas/billing"))) {
            assertThat(referenced).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    @DisplayName("every example of the document validates against the schema it names, headers included")
    void documentExamplesValidate() {
        int examples = 0;
        for (String message : names(API.path("components").path("messages"))) {
            for (JsonNode example : message(message).path("examples")) {
                if (example.has("payload")) {
                    assertValid(payloadSchema(message), example.path("payload"), message + " example " + example.path("name"));
                    examples++;
                }
                if (example.has("headers")) {
                    assertValid(headerSchema(message), example.path("headers"), message + " headers " + example.path("name"));
                }
            }
        }
        assertThat(examples).isGreaterThanOrEqualTo(10);
    }

    @Test
    @DisplayName("the contract's example messages the tests send validate against the document's schema of their type")
    void testExamplesValidate() throws IOException {
        List<JsonNode> messages = new ArrayList<>();
        for (String file : List.of("application-new-install.json", "application-capacity-increase-missing-materials.json",
                "application-not-eligible.json")) {
            messages.add(JSON.readTree(BillingClient.example(file)));
        }
        for (String line : BillingClient.example("events.jsonl").split("\n")) {
            if (!line.isBlank()) {
                messages.add(JSON.readTree(line));
            }
        }
        assertThat(messages).hasSize(8);
        for (JsonNode m : messages) {
            assertValid(payloadSchema(m.path("type").asText()), m, m.path("type").asText() + " " + m.path("messageId").asText());
        }
    }

    @Test
    @DisplayName("the messages the hub writes validate, and carry exactly the JMS properties the document lists")
    void hubMessagesMatchTheDocument() throws Exception {
        StatusMessages status = new StatusMessages(JSON, ZoneId.of("Asia/Shanghai"));
        OffsetDateTime at = OffsetDateTime.parse("2026-11-27T01:30:02Z");
        StatusMessages.Message changed = status.caseStatusChanged("SG186-3301-2026-004711", "YK-2026-000017",
                Stage.SCHEME, Stage.ACCEPTED, at, at.plusDays(21), null);
        StatusMessages.Message received = status.caseStatusChanged("SG186-3301-2026-004711", "YK-2026-000017",
                Stage.RECEIVED, null, at, null, null);
        StatusMessages.Message rejected = status.messageRejected(new MessageRejectedException(ErrorCode.SCHEMA_VIOLATION,
                List.of("transformerKva: must be a number"), "0b6f1c7e", "SG186-3301-2026-004711"), at);
        StatusMessages.Message unreadable = status.messageRejected(new MessageRejectedException(ErrorCode.MALFORMED_JSON,
                List.of("not JSON"), null, null), at);
        Set<String> documented = names(API.path("components").path("messageTraits").path("fromHub").path("headers").path("properties"));
        for (var m : Map.of("CaseStatusChanged", List.of(changed, received), "MessageRejected", List.of(rejected, unreadable)).entrySet()) {
            for (StatusMessages.Message message : m.getValue()) {
                assertValid(payloadSchema(m.getKey()), JSON.readTree(message.payload()), m.getKey() + " from StatusMessages");
                assertValid(headerSchema(m.getKey()), JSON.valueToTree(message.headers()), m.getKey() + " headers");
                assertThat(documented).as("JMS properties documented in messageTraits.fromHub").containsAll(message.headers().keySet());
            }
        }
        assertThat(rejected.headers()).containsKeys("rejectedMessageId", "JMSXGroupID", "_AMQ_DUPL_ID");
        assertThat(changed.headers()).containsKeys("caseNo", "applicationNo", "JMSXGroupID", "_AMQ_DUPL_ID");
    }

    @Test
    @DisplayName("the dead letters' yk_error_code lists every rejection code and PROCESSING_FAILED")
    void deadLetterCodes() {
        JsonNode headers = message("DeadLetter").path("headers");
        Set<String> codes = new HashSet<>();
        headers.path("properties").path(BillingInbox.ERROR_CODE).path("enum").forEach(c -> codes.add(c.asText()));
        Set<String> expected = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toCollection(HashSet::new));
        expected.add("PROCESSING_FAILED");
        assertThat(codes).isEqualTo(expected);
        assertThat(names(headers.path("properties"))).containsExactlyInAnyOrder(BillingInbox.ERROR_CODE, BillingInbox.ERROR_MESSAGE);
    }

    private static JsonNode message(String name) {
        JsonNode m = API.path("components").path("messages").path(name);
        assertThat(m.isMissingNode()).as("components.messages." + name).isFalse();
        return m;
    }

    private static Set<String> channelMessages(String channel) {
        Set<String> types = new HashSet<>();
        API.path("channels").path(channel).path("messages").forEach(ref ->
                types.add(ref.path("$ref").asText().replace("#/components/messages/", "")));
        return types;
    }

    private static JsonSchema payloadSchema(String message) {
        String ref = message(message).path("payload").path("schema").path("$ref").asText();
        assertThat(ref).as(message + " has a payload schema").isNotEmpty();
        try (var in = Files.newInputStream(DOCS.resolve(ref))) {
            return SCHEMAS.getSchema(in, CONFIG);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonSchema headerSchema(String message) {
        JsonNode m = message(message);
        JsonNode headers = m.has("headers") ? m.path("headers")
                : API.at(m.path("traits").path(0).path("$ref").asText().substring(1)).path("headers");
        assertThat(headers.isMissingNode()).as(message + " headers").isFalse();
        return SCHEMAS.getSchema(headers, CONFIG);
    }

    private static void assertValid(JsonSchema schema, JsonNode value, String what) {
        assertThat(schema.validate(value)).as(what + " against its schema").isEmpty();
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String routesText() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.toList()) {
                all.append(Files.readString(f));
            }
            return all.toString();
        }
    }
}
