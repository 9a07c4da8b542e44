package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.HubTest;

/**
 * Every error of {@code /api/**} is an RFC 9457 problem ({@code application/problem+json}: type, title, status, detail,
 * instance) that keeps the API's own members {@code code}, {@code field}, {@code message} (docs/contract.md §4.5):
 * the controllers' refusals, Spring's (no such path, method, parameter type), the security chain's 401 and 403, the
 * size limit's 413. The dashboard's pages keep their HTML.
 */
@HubTest
class ApiProblemsTest extends WebTestBase {

    @Test
    void an_unknown_case_is_a_problem_with_the_old_members_kept() {
        HttpResponse<String> r = hub.get("/api/cases/YK-1999-999999", "viewer");
        JsonNode p = problem(r, 404, "NOT_FOUND");
        assertThat(p.get("type").asText()).isEqualTo("https://yekuo.example/problems/not-found");
        assertThat(p.get("title").asText()).isEqualTo("Not Found");
        assertThat(p.get("instance").asText()).isEqualTo("/api/cases/YK-1999-999999");
        assertThat(p.get("detail").asText()).contains("YK-1999-999999").isEqualTo(p.get("message").asText());
    }

    @Test
    void a_validation_error_names_its_field() {
        HttpResponse<String> r = hub.post("/api/cases/YK-1999-999999/actions/pause", "rep", "[1, 2]");
        JsonNode p = problem(r, 400, "VALIDATION");
        assertThat(p.get("field").asText()).isEqualTo("body");
        assertThat(p.get("type").asText()).isEqualTo("https://yekuo.example/problems/validation");
    }

    @Test
    void spring_refusals_of_the_api_are_problems_too() {
        JsonNode noPath = problem(hub.get("/api/no-such-thing", "viewer"), 404, "NOT_FOUND");
        assertThat(noPath.get("instance").asText()).isEqualTo("/api/no-such-thing");

        HttpResponse<String> wrongMethod = hub.get("/api/cases/YK-1999-999999/actions/pause", "viewer");
        problem(wrongMethod, 405, "METHOD_NOT_ALLOWED");
        assertThat(wrongMethod.headers().firstValue("Allow").orElse("")).contains("POST");

        JsonNode badType = problem(hub.post("/api/reports/assessment/run?resend=maybe", "rep", null), 400, "VALIDATION");
        assertThat(badType.get("field").asText()).isEqualTo("resend");
        assertThat(badType.get("message").asText()).startsWith("resend: 'maybe'");
    }

    @Test
    void security_refusals_of_the_api_are_problems() {
        HttpResponse<String> anonymous = hub.get("/api/cases", null);
        problem(anonymous, 401, "UNAUTHORIZED");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as("still no Basic challenge (§4.1)").isEmpty();
        problem(hub.post("/api/cases/YK-1999-999999/actions/pause", "viewer", "{\"reason\":\"x\"}"), 403, "FORBIDDEN");
    }

    @Test
    void an_oversized_body_is_a_problem() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/cases/YK-2026-999999/actions/pause"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("rep:rep".getBytes()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"" + "x".repeat(70_000) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode p = problem(r, 413, "TOO_LARGE");
        assertThat(p.get("detail").asText()).contains("over the limit of 65536 bytes");
    }

    @Test
    void the_dashboard_keeps_its_pages() {
        HttpResponse<String> r = hub.get("/no-such-page", "viewer", "text/html");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).doesNotContain("problem");
    }

    private static JsonNode problem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode p = WebFixture.json(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.has("type") && p.has("title") && p.has("detail") && p.has("instance") && p.has("message"))
                .as(p.toString()).isTrue();
        return p;
    }
}
