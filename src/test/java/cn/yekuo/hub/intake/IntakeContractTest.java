package cn.yekuo.hub.intake;

import static cn.yekuo.hub.support.BillingClient.example;
import static cn.yekuo.hub.support.BillingClient.uniqueExample;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.jms.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;

/**
 * The intake contract of docs/contract.md §1 as the billing system sees it, over TCP with the billing account.
 * Subclasses run it against one case store each (H2 embedded, PostgreSQL).
 */
abstract class IntakeContractTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration QUIET = Duration.ofMillis(1500);

    @Autowired
    JdbcTemplate jdbc;

    @Value("${yk.broker.acceptor}")
    String acceptor;

    BillingClient billing;

    @BeforeEach
    void connect() {
        billing = new BillingClient(acceptor.replaceFirst("\\?.*", ""));
    }

    @AfterEach
    void disconnect() {
        billing.close();
    }

    @Test
    void the_three_examples_are_answered_with_their_stages_in_order() throws Exception {
        ensureExamplesAreNew();
        billing.sendApplication(example("application-new-install.json"));
        billing.sendApplication(example("application-capacity-increase-missing-materials.json"));
        billing.sendApplication(example("application-not-eligible.json"));

        List<JsonNode> newInstall = billing.awaitStatusExactly("SG186-3301-2026-004711", expectedForAccepted(), WAIT, QUIET);
        assertThat(stages(newInstall)).containsExactlyElementsOf(acceptedStages());
        assertThat(newInstall.get(0).get("previousStage").isNull()).isTrue();
        assertThat(newInstall.get(1).get("previousStage").asText()).isEqualTo("RECEIVED");
        assertThat(newInstall.get(0).get("dueAt").isNull()).isTrue();
        assertThat(newInstall.get(1).get("dueAt").asText()).as("the scheme reply is due 15 working days after acceptance")
                .isEqualTo("2026-12-18T23:59:59+08:00");
        assertThat(newInstall.get(2).get("dueAt").asText()).isEqualTo("2026-12-18T23:59:59+08:00");
        assertThat(newInstall.get(2).get("previousStage").asText()).isEqualTo("ACCEPTED");
        assertThat(newInstall).allSatisfy(m -> {
            assertThat(m.get("caseNo").asText()).matches("YK-2026-\\d{6}");
            assertValid("CaseStatusChanged", m);
        });

        List<JsonNode> capacity = billing.awaitStatusExactly("SG186-3301-2026-004712", 2, WAIT, QUIET);
        assertThat(stages(capacity)).containsExactly("RECEIVED", "AWAITING_MATERIALS");
        assertThat(capacity.get(1).get("dueAt").isNull()).as("no utility deadline while the customer owes materials").isTrue();
        assertThat(capacity.get(1).get("reason").asText())
                .contains("AGENT_AUTHORIZATION", "SITE_PLAN", "EXISTING_CONTRACT", "委托书及经办人身份证")
                .doesNotContain("EQUIPMENT_LIST");

        List<JsonNode> notEligible = billing.awaitStatusExactly("SG186-3301-2026-004713", 2, WAIT, QUIET);
        assertThat(stages(notEligible)).containsExactly("RECEIVED", "NOT_ELIGIBLE");
        assertThat(notEligible.get(1).get("reason").asText()).contains("0.4 kV", "30 kVA", "10 kV", "50 kVA");
        assertThat(notEligible.get(1).get("dueAt").isNull()).isTrue();
    }

    @Test
    void a_capacity_increase_is_judged_on_the_capacity_after_it_existing_plus_increase() {
        ObjectNode small = uniqueExample("application-capacity-increase-missing-materials.json");
        small.put("transformerKva", 30);
        small.put("existingKva", 800);
        ObjectNode tiny = uniqueExample("application-capacity-increase-missing-materials.json");
        tiny.put("transformerKva", 30);
        tiny.put("existingKva", 10);
        billing.sendApplication(small.toString());
        billing.sendApplication(tiny.toString());

        List<JsonNode> eligible = billing.awaitStatusExactly(small.get("applicationNo").asText(), 2, WAIT, QUIET);
        assertThat(stages(eligible)).as("800 kVA + 30 kVA: managed, waiting for its materials")
                .containsExactly("RECEIVED", "AWAITING_MATERIALS");
        List<JsonNode> notEligible = billing.awaitStatusExactly(tiny.get("applicationNo").asText(), 2, WAIT, QUIET);
        assertThat(stages(notEligible)).containsExactly("RECEIVED", "NOT_ELIGIBLE");
        assertThat(notEligible.get(1).get("reason").asText())
                .contains("增容后专用变压器容量 40 kVA（原有 10 kVA + 增容 30 kVA）低于 50 kVA", "(not eligible: ");
    }

    @Test
    void a_case_is_stored_with_its_timeline() {
        ObjectNode app = uniqueExample("application-new-install.json");
        billing.sendApplication(app.toString());
        List<JsonNode> status = billing.awaitStatus(app.get("applicationNo").asText(), 3, WAIT);
        String caseNo = status.get(0).get("caseNo").asText();
        assertThat(jdbc.queryForObject("select customer_name from yk_case where case_no = ?", String.class, caseNo))
                .isEqualTo("杭州东郊新材料有限公司");
        assertThat(jdbc.queryForList("""
                select t.stage from case_timeline t join yk_case c on c.id = t.case_id where c.case_no = ?
                  and t.kind = 'STAGE_CHANGED' order by t.id""", String.class, caseNo))
                .startsWith("RECEIVED", "ACCEPTED", "SCHEME");
    }

    @Test
    void case_numbers_are_unique_and_follow_the_pattern() {
        List<String> applicationNos = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ObjectNode app = uniqueExample("application-new-install.json");
            applicationNos.add(app.get("applicationNo").asText());
            billing.sendApplication(app.toString());
        }
        Set<String> caseNos = new java.util.HashSet<>();
        for (String no : applicationNos) {
            caseNos.add(billing.awaitStatus(no, 1, WAIT).get(0).get("caseNo").asText());
        }
        assertThat(caseNos).hasSize(10).allMatch(n -> n.matches("YK-2026-\\d{6}"));
    }

    @Test
    void a_redelivered_or_resent_message_id_has_no_effect() {
        ObjectNode app = uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        billing.sendApplication(app.toString());
        List<JsonNode> status = billing.awaitStatusExactly(applicationNo, expectedForAccepted(), WAIT, QUIET);
        assertThat(stages(status)).containsExactlyElementsOf(acceptedStages());
        assertThat(jdbc.queryForObject("select count(*) from yk_case where application_no = ?", Integer.class, applicationNo))
                .isEqualTo(1);
        assertThat(billing.awaitDeadLetters("JMSXGroupID IS NULL AND yk_error_code IS NOT NULL AND 1=0", 1, Duration.ofMillis(10))).isEmpty();
    }

    // --- rejections: each answered on yk.billing.status, the original dead-lettered, nothing stored ---

    @Test
    void malformed_json_is_rejected() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = "{\"type\":\"ApplicationSubmitted\",\"messageId\":\"" + id + "\",\"applicationNo\":\"X-1\", \"customer\": {";
        JsonNode rejected = rejectedAndDeadLettered(id, body, "MALFORMED_JSON");
        assertThat(rejected.get("applicationNo").asText()).isEqualTo("X-1");
        assertThat(rejected.get("errors").get(0).asText()).startsWith("not valid JSON");
    }

    @Test
    void a_schema_violation_names_the_field() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        app.put("transformerKva", "800");
        ((ObjectNode) app.get("customer")).remove("name");
        app.put("submittedAt", "2026-11-27 09:30");
        JsonNode rejected = rejectedAndDeadLettered(app.get("messageId").asText(), app.toString(), "SCHEMA_VIOLATION");
        assertThat(rejected.get("applicationNo").asText()).isEqualTo(app.get("applicationNo").asText());
        assertThat(texts(rejected.get("errors"))).contains("transformerKva: must be a number", "customer.name: is required")
                .anySatisfy(e -> assertThat(e).startsWith("submittedAt: must be a valid date-time"));
    }

    @Test
    void text_longer_than_the_contract_allows_is_a_schema_violation() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        ((ObjectNode) app.get("customer")).put("name", "名".repeat(201));
        JsonNode rejected = rejectedAndDeadLettered(app.get("messageId").asText(), app.toString(), "SCHEMA_VIOLATION");
        assertThat(texts(rejected.get("errors"))).containsExactly("customer.name: must be at most 200 characters");
    }

    @Test
    void capacity_increase_without_customer_id_is_a_schema_violation() throws Exception {
        ObjectNode app = uniqueExample("application-capacity-increase-missing-materials.json");
        ((ObjectNode) app.get("customer")).remove("id");
        JsonNode rejected = rejectedAndDeadLettered(app.get("messageId").asText(), app.toString(), "SCHEMA_VIOLATION");
        assertThat(texts(rejected.get("errors"))).contains("customer.id: is required");
    }

    @Test
    void an_unknown_supply_station_is_a_schema_violation() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        ((ObjectNode) app.get("site")).put("supplyStation", "nowhere");
        JsonNode rejected = rejectedAndDeadLettered(app.get("messageId").asText(), app.toString(), "SCHEMA_VIOLATION");
        assertThat(texts(rejected.get("errors")).get(0)).startsWith("site.supplyStation: 'nowhere' is not a configured supply station");
    }

    @Test
    void an_unknown_type_is_rejected() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        app.put("type", "ApplicationTeleported");
        JsonNode rejected = rejectedAndDeadLettered(app.get("messageId").asText(), app.toString(), "UNKNOWN_TYPE");
        assertThat(texts(rejected.get("errors")).get(0)).contains("ApplicationTeleported");
    }

    @Test
    void an_event_on_the_applications_queue_is_an_unknown_type_there() throws Exception {
        String id = UUID.randomUUID().toString();
        String event = "{\"type\":\"FeesSettled\",\"messageId\":\"" + id + "\",\"applicationNo\":\"A\",\"amount\":\"1.00\",\"paidAt\":\"2026-11-27T10:00:00+08:00\"}";
        rejectedAndDeadLettered(id, event, "UNKNOWN_TYPE");
    }

    @Test
    void a_known_application_number_under_a_new_message_id_is_a_duplicate() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        billing.awaitStatus(applicationNo, 1, WAIT);
        long casesBefore = caseCount();
        app.put("messageId", UUID.randomUUID().toString());
        JsonNode rejected = rejectedAndDeadLettered(app.get("messageId").asText(), app.toString(), "DUPLICATE_APPLICATION", casesBefore);
        assertThat(rejected.get("applicationNo").asText()).isEqualTo(applicationNo);
    }

    @Test
    void a_message_over_256_KiB_is_too_large() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        app.put("padding", "x".repeat(256 * 1024));
        JsonNode rejected = rejectedAndDeadLettered(app.get("messageId").asText(), app.toString(), "TOO_LARGE");
        assertThat(texts(rejected.get("errors")).get(0)).contains("262144");
    }

    @Test
    void a_bytes_message_over_the_limit_is_too_large_by_its_length_and_never_read() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        app.put("padding", "x".repeat(256 * 1024));
        byte[] body = app.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long casesBefore = caseCount();
        billing.sendBytes("yk.billing.applications", body);
        JsonNode answer = null;
        for (int i = 0; i < 20 && answer == null; i++) {
            // answers to other tests' unreadable messages have no rejectedMessageId either: skip them
            answer = billing.await("yk.billing.status", "type = 'MessageRejected' AND rejectedMessageId IS NULL", 1, WAIT).stream()
                    .filter(a -> a.get("errors").get(0).asText().contains(body.length + " bytes")).findFirst().orElse(null);
        }
        assertThat(answer).as("MessageRejected for the bytes message").isNotNull();
        assertThat(answer.get("errorCode").asText()).isEqualTo("TOO_LARGE");
        assertThat(answer.get("errors").get(0).asText()).contains("262144");
        List<Message> dead = billing.awaitDeadLetters("yk_error_code = 'TOO_LARGE'", 50, Duration.ofSeconds(2));
        assertThat(dead).as("the dead letter describes the body it never read").anySatisfy(m -> assertThat(BillingClient.text(m))
                .isEqualTo("(a BytesMessage of " + body.length + " bytes, over the limit: its body was not read)"));
        assertThat(caseCount()).isEqualTo(casesBefore);
    }

    @Test
    void the_broker_refuses_a_message_over_its_own_limit_at_the_send() {
        ObjectNode app = uniqueExample("application-new-install.json");
        app.put("padding", "x".repeat(1024 * 1024));
        for (Runnable send : List.<Runnable>of(() -> billing.sendApplication(app.toString()),
                () -> billing.sendBytes("yk.billing.events", app.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(send::run).as("billing's send fails")
                    .rootCause().hasMessageContaining("takes messages of at most 1048576 bytes");
        }
        assertThat(billing.awaitStatus(app.get("applicationNo").asText(), 1, QUIET)).as("the hub never saw it").isEmpty();
        assertThat(billing.awaitRejection(app.get("messageId").asText(), QUIET)).isEmpty();
    }

    // --- RFC 3339: every valid form of a time is read, none ends as poison ---

    @Test
    void every_rfc3339_form_of_a_time_is_accepted() {
        // the leap second of the issue, on an application that is not eligible: a case of 2016 would have clocks long missed
        ObjectNode leap = uniqueExample("application-not-eligible.json");
        leap.put("submittedAt", "2016-12-31T23:59:60Z");
        billing.sendApplication(leap.toString());
        List<JsonNode> answered = billing.awaitStatus(leap.get("applicationNo").asText(), 2, WAIT);
        assertThat(stages(answered)).containsExactly("RECEIVED", "NOT_ELIGIBLE");
        assertThat(answered.get(0).get("caseNo").asText()).as("2017-01-01 07:59:59.999 in Beijing").startsWith("YK-2017-");
        List<String> forms = List.of("2026-11-27t01:30:00z", "2026-11-27T09:30:00.123456789012+08:00",
                "2026-11-27T01:30:00-00:00", "2026-11-26T21:30:00.5-04:00", "2026-11-27T15:15:00+05:45");
        for (String submittedAt : forms) {
            ObjectNode app = uniqueExample("application-new-install.json");
            app.put("submittedAt", submittedAt);
            billing.sendApplication(app.toString());
            List<JsonNode> status = billing.awaitStatus(app.get("applicationNo").asText(), 3, WAIT);
            assertThat(stages(status)).as(submittedAt).containsExactly("RECEIVED", "ACCEPTED", "SCHEME");
            assertThat(status.get(0).get("caseNo").asText()).as(submittedAt).startsWith("YK-2026-");
            assertThat(status.get(2).get("dueAt").asText()).as(submittedAt + " is 2026-11-27 in Beijing")
                    .isEqualTo("2026-12-18T23:59:59+08:00");
        }
        ObjectNode app = uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        billing.awaitStatus(applicationNo, 3, WAIT);
        billing.sendEvent("{\"type\":\"ApplicationWithdrawn\",\"messageId\":\"" + UUID.randomUUID() + "\",\"applicationNo\":\""
                + applicationNo + "\",\"withdrawnAt\":\"2026-12-31t23:59:60.25z\"}");
        assertThat(stages(billing.awaitStatus(applicationNo, 1, WAIT))).as("an event's leap second").containsExactly("WITHDRAWN");
    }

    @Test
    void an_impossible_time_is_a_schema_violation_not_poison() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        app.put("submittedAt", "2026-02-30T09:30:00+08:00");
        JsonNode rejected = rejectedAndDeadLettered(app.get("messageId").asText(), app.toString(), "SCHEMA_VIOLATION");
        assertThat(texts(rejected.get("errors"))).anySatisfy(e -> assertThat(e).startsWith("submittedAt: must be a valid date-time"));
    }

    // --- poison: a message that fails every time is still answered ---

    @Test
    void a_message_that_fails_every_time_is_answered_processing_failed_and_dead_lettered() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        String customer = "拒收-" + app.get("applicationNo").asText();
        ((ObjectNode) app.get("customer")).put("name", customer);
        String constraint = "yk_test_refuses_" + Math.abs(customer.hashCode());
        // the database refuses this customer for good (as a constraint added by a DBA would): neither bad input nor passing
        jdbc.execute("alter table yk_case add constraint " + constraint + " check (customer_name <> '" + customer + "')");
        try {
            long casesBefore = caseCount();
            billing.sendApplication(app.toString());
            List<JsonNode> answers = billing.awaitRejection(app.get("messageId").asText(), Duration.ofSeconds(90));
            assertThat(answers).as("MessageRejected after the last redelivery").hasSize(1);
            JsonNode rejected = answers.get(0);
            assertValid("MessageRejected", rejected);
            assertThat(rejected.get("errorCode").asText()).isEqualTo("PROCESSING_FAILED");
            assertThat(rejected.get("applicationNo").asText()).isEqualTo(app.get("applicationNo").asText());
            assertThat(rejected.get("errors").get(0).asText()).contains("5 deliveries", "yk.dlq");
            List<Message> dead = billing.awaitDeadLetters("yk_error_code = 'PROCESSING_FAILED'", 50, Duration.ofSeconds(2));
            assertThat(dead).as("the original on yk.dlq").anySatisfy(m -> assertThat(BillingClient.text(m)).isEqualTo(app.toString()));
            assertThat(caseCount()).isEqualTo(casesBefore);
            assertThat(billing.awaitStatus(app.get("applicationNo").asText(), 1, QUIET)).as("nothing else").isEmpty();
        } finally {
            jdbc.execute("alter table yk_case drop constraint " + constraint);
        }
    }

    JsonNode rejectedAndDeadLettered(String messageId, String body, String code) throws Exception {
        return rejectedAndDeadLettered(messageId, body, code, caseCount());
    }

    JsonNode rejectedAndDeadLettered(String messageId, String body, String code, long casesBefore) throws Exception {
        // documents of earlier intakes are issued after their commit (a timeline entry, a mail): let them settle
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "select count(*) from outbox where channel = 'document' and sent_at is null and dead_at is null", Integer.class) == 0);
        long timelineBefore = count("case_timeline");
        long outboxBefore = count("outbox");
        billing.sendApplication(body);
        List<JsonNode> answers = billing.awaitRejection(messageId, WAIT);
        assertThat(answers).as("MessageRejected for " + messageId).hasSize(1);
        JsonNode rejected = answers.get(0);
        assertValid("MessageRejected", rejected);
        assertThat(rejected.get("errorCode").asText()).isEqualTo(code);
        assertThat(rejected.get("messageId").asText()).isEqualTo(messageId);

        List<Message> dead = billing.awaitDeadLetters("yk_error_code = '" + code + "'", 50, Duration.ofSeconds(2));
        assertThat(dead).as("the original on yk.dlq").anySatisfy(m -> {
            assertThat(BillingClient.text(m)).isEqualTo(body);
            assertThat(m.getStringProperty("yk_error_message")).isNotBlank();
        });
        assertThat(caseCount()).as("nothing reaches the case store").isEqualTo(casesBefore);
        assertThat(count("case_timeline")).isEqualTo(timelineBefore);
        assertThat(count("outbox")).isEqualTo(outboxBefore);
        return rejected;
    }

    /** Stages an accepted application goes through in the intake alone. */
    List<String> acceptedStages() {
        return List.of("RECEIVED", "ACCEPTED", "SCHEME");
    }

    int expectedForAccepted() {
        return acceptedStages().size();
    }

    long caseCount() {
        return count("yk_case");
    }

    long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    void ensureExamplesAreNew() {
        assertThat(jdbc.queryForObject("select count(*) from yk_case where application_no like 'SG186-3301-2026-00471%'", Long.class))
                .as("the examples are sent once per fresh case store").isZero();
    }

    static List<String> stages(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("stage").asText()).toList();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static void assertValid(String type, JsonNode message) {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                IntakeContractTest.class.getResourceAsStream("/schemas/billing/" + type + ".json"),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        assertThat(schema.validate(message)).as(type + " " + message).isEmpty();
    }
}
