package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.HubTest;

/** Health with its details, Prometheus with Camel route metrics and the business gauges, the OpenAPI document. */
@HubTest
class OperationsTest extends WebTestBase {

    @Test
    void health_shows_database_broker_fonts_and_calendar_to_a_signed_in_user() {
        JsonNode open = WebFixture.json(hub.get("/actuator/health", null));
        assertThat(open.get("status").asText()).isIn("UP", "WARNING");
        JsonNode health = WebFixture.json(hub.get("/actuator/health", "viewer"));
        JsonNode components = health.get("components");
        assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("jms").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("fonts").get("status").asText()).isIn("UP", "WARNING");
        assertThat(components.get("calendar").get("details").get("loadedYears").toString()).contains("2026");
    }

    @Test
    void prometheus_has_camel_route_metrics_and_business_gauges() {
        hub.caseInScheme();
        String metrics = hub.get("/actuator/prometheus", "viewer").body();
        assertThat(metrics).contains("yk_cases_open{stage=\"SCHEME\"}")
                .contains("yk_nodes_overdue{unit=\"production\"}")
                .contains("yk_outbox_pending")
                .contains("yk_mails_dead")
                .contains("yk_documents_failed")
                .containsPattern("camel_exchanges_(total|succeeded_total)\\{[^}]*routeId=\"");
    }

    @Test
    void the_openapi_document_describes_the_api() {
        JsonNode doc = WebFixture.json(hub.get("/v3/api-docs", "viewer"));
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("paths").has("/api/cases")).isTrue();
        assertThat(doc.get("paths").has("/api/cases/{caseNo}")).isTrue();
        assertThat(doc.get("paths").has("/api/cases/{caseNo}/documents/{id}")).isTrue();
        assertThat(doc.get("paths").has("/api/cases/{caseNo}/documents/verify")).isTrue();
        assertThat(doc.get("paths").has("/api/cases/{caseNo}/actions/{action}")).isTrue();
        assertThat(doc.get("paths").has("/api/reports/assessment")).isTrue();
        assertThat(doc.get("paths").has("/api/reports/trend")).isTrue();
        assertThat(doc.get("paths").has("/api/agenda")).isTrue();
        assertThat(doc.get("paths").has("/api/quarantine")).isTrue();
        assertThat(doc.get("paths").has("/api/quarantine/{id}/{action}")).isTrue();
        assertThat(doc.get("paths").has("/")).as("only the API").isFalse();
        assertThat(doc.get("paths").has("/quarantine")).as("only the API").isFalse();
        assertThat(hub.get("/swagger-ui/index.html", "viewer").statusCode()).isEqualTo(200);
    }
}
