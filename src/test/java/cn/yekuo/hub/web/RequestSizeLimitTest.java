package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.yekuo.hub.support.HubTest;

/** Every request body has a size limit: a large one is refused before it is read, and changes nothing. */
@HubTest
class RequestSizeLimitTest {

    @LocalServerPort
    int port;

    @Test
    void a_request_body_over_64_KiB_is_refused_with_413() throws Exception {
        String body = "{\"reason\":\"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/cases/YK-2026-999999/actions/pause"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("rep:rep".getBytes()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).contains("over the limit of 65536 bytes");
    }

    @Test
    void an_ordinary_request_passes() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/cases/YK-2026-999999/actions/pause"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("rep:rep".getBytes()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"客户要求暂缓\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("reaches the API, which does not know the case").isEqualTo(404);
    }
}
