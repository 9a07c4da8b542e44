package cn.yekuo.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;


import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.RepClient;

/** Health is open to load balancers and names what the hub depends on; everything else needs a login. */
@HubTest
class HealthEndpointTest {

    @Autowired
    TestRestTemplate http;

    @LocalServerPort
    int port;

    @Test
    void health_is_open_and_reports_the_database_the_broker_and_mail() {
        // the mail servers start with the hub: give the first logins a moment
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() ->
                "UP".equals(http.getForEntity("/actuator/health", JsonNode.class).getBody().get("components").get("mail").get("status").asText()));
        ResponseEntity<JsonNode> health = http.getForEntity("/actuator/health", JsonNode.class);
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        // WARNING (still HTTP 200) while next year's holiday calendar is not loaded
        assertThat(health.getBody().get("status").asText()).isIn("UP", "WARNING");
        assertThat(health.getBody().get("components").get("db").get("status").asText()).isEqualTo("UP");
        assertThat(health.getBody().get("components").get("jms").get("status").asText()).isEqualTo("UP");
        assertThat(health.getBody().get("components").get("mail").get("status").asText()).as("SMTP and IMAP logins").isEqualTo("UP");
        // the documents' warm-up runs in the background: UP while running and when done
        assertThat(health.getBody().get("components").get("documents").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void liveness_is_the_process_alone_and_readiness_the_database_the_broker_and_camel_all_open() {
        ResponseEntity<JsonNode> live = http.getForEntity("/actuator/health/liveness", JsonNode.class);
        assertThat(live.getStatusCode()).as("open, like /actuator/health").isEqualTo(HttpStatus.OK);
        assertThat(names(live.getBody().get("components"))).containsExactly("livenessState");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                http.getForEntity("/actuator/health/readiness", JsonNode.class).getStatusCode() == HttpStatus.OK);
        JsonNode ready = http.getForEntity("/actuator/health/readiness", JsonNode.class).getBody();
        assertThat(names(ready.get("components"))).as("mail is no reason to take a node out of service")
                .containsExactlyInAnyOrder("readinessState", "db", "jms", "camelHealth");
        assertThat(ready.get("components").get("db").has("details")).as("details only for a logged-in user").isFalse();
        JsonNode all = http.getForEntity("/actuator/health", JsonNode.class).getBody();
        assertThat(names(all.get("components"))).as("the mail servers are reported").contains("mail");
    }

    private static java.util.List<String> names(JsonNode components) {
        java.util.List<String> names = new java.util.ArrayList<>();
        components.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void the_documents_component_says_how_the_background_warm_up_went() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120)).until(() ->
                http.withBasicAuth("viewer", "viewer").getForEntity("/actuator/health", JsonNode.class).getBody()
                        .get("components").get("documents").get("details").get("warmUp").asText().startsWith("done in "));
        JsonNode documents = http.withBasicAuth("viewer", "viewer").getForEntity("/actuator/health", JsonNode.class).getBody()
                .get("components").get("documents");
        assertThat(documents.get("status").asText()).isEqualTo("UP");
        assertThat(documents.get("details").get("fonts").asText()).contains("UMingCN");
        assertThat(documents.get("details").get("compactFaces").asText()).contains("glyphs");
    }

    @Autowired
    org.springframework.boot.actuate.health.HttpCodeStatusMapper statusCodes;

    @Test
    void a_hub_that_is_down_or_still_starting_answers_503_a_missing_calendar_200() {
        // the WARNING mapping replaces Spring Boot's defaults: a hub still starting once answered 200 while DOWN
        assertThat(statusCodes.getStatusCode(org.springframework.boot.actuate.health.Status.DOWN)).isEqualTo(503);
        assertThat(statusCodes.getStatusCode(org.springframework.boot.actuate.health.Status.OUT_OF_SERVICE)).isEqualTo(503);
        assertThat(statusCodes.getStatusCode(new org.springframework.boot.actuate.health.Status("WARNING"))).isEqualTo(200);
        assertThat(statusCodes.getStatusCode(org.springframework.boot.actuate.health.Status.UP)).isEqualTo(200);
    }

    @Test
    void anything_else_needs_authentication() throws Exception {
        assertThat(status("/actuator/prometheus", null)).isEqualTo(401);
        assertThat(status("/actuator/prometheus", "viewer:viewer")).isEqualTo(200);
        assertThat(status("/actuator/prometheus", "viewer:wrong")).isEqualTo(401);
        assertThat(status("/api/cases", null)).as("an API client gets 401, not the login page").isEqualTo(401);
    }

    /** A plain HTTP client: no redirects followed, no cookies kept. */
    int status(String path, String credentials) {
        RepClient client = credentials == null ? RepClient.anonymous(port)
                : new RepClient(port, credentials.substring(0, credentials.indexOf(':')), credentials.substring(credentials.indexOf(':') + 1));
        return client.get(path, "*/*").statusCode();
    }
}
