package cn.yekuo.hub.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A customer representative (or viewer) over plain HTTP with Basic authentication, as curl would be: no redirects
 * followed, no cookies kept. {@link #anonymous} is the same without credentials (health, a refused client).
 */
public final class RepClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    public RepClient(int port, String user, String password) {
        this(port, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private RepClient(int port, String authorization) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = authorization;
    }

    /** A client that sends no credentials. */
    public static RepClient anonymous(int port) {
        return new RepClient(port, (String) null);
    }

    /** Any method without a body (e.g. a POST that runs a job), with the Accept header given. */
    public HttpResponse<String> request(String method, String path, String accept) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> get(String path, String accept) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /** GET of a file (e.g. a document's PDF): the bytes of a 200. */
    public byte[] bytes(String path, String accept) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + r.statusCode());
            }
            return r.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET with JSON expected: the parsed body of a 200. */
    public JsonNode json(String path) {
        HttpResponse<String> r = get(path, "application/json");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return BillingClient.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** POST /api/cases/{caseNo}/actions/{action} with a JSON body; the parsed answer of a 200. */
    public JsonNode action(String caseNo, String action, String json) {
        HttpResponse<String> r = post("/api/cases/" + caseNo + "/actions/" + action, json);
        if (r.statusCode() != 200) {
            throw new AssertionError("action " + action + " on " + caseNo + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return BillingClient.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
