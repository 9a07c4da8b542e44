package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.HubTest;

/** Who may do what: health open, everything else authenticated; REP acts, VIEWER reads; CSRF on the browser forms. */
@HubTest
class WebSecurityTest extends WebTestBase {

    @Test
    void health_is_open_and_the_rest_needs_a_login() {
        assertThat(hub.get("/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(hub.get("/actuator/health", null).body()).doesNotContain("\"details\"");
        HttpResponse<String> api = hub.get("/api/cases", null);
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("WWW-Authenticate")).as("no Basic challenge a browser would cache").isEmpty();
        assertThat(hub.get("/actuator/prometheus", null).statusCode()).isIn(302, 401);
        assertThat(hub.get("/v3/api-docs", null).statusCode()).isIn(302, 401);
        HttpResponse<String> page = hub.get("/", null, "text/html");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        for (String path : new String[] {"/agenda", "/report"}) {
            HttpResponse<String> other = hub.get(path, null, "text/html");
            assertThat(other.statusCode()).as(path).isEqualTo(302);
            assertThat(other.headers().firstValue("Location").orElseThrow()).as(path).endsWith("/login");
        }
        for (String path : new String[] {"/api/agenda", "/api/reports/trend"}) {
            assertThat(hub.get(path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(hub.get("/login", null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_wrong_password_is_refused() {
        HttpResponse<String> r = hub.send(hub.request("/api/cases", null)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("rep:nope".getBytes())).GET().build());
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void five_failed_logins_for_one_user_refuse_the_next_with_429_even_with_the_right_password() {
        assertThat(basic("clerk", "clerk").statusCode()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(basic("clerk", "guess-" + i).statusCode()).as("failed login %d", i + 1).isEqualTo(401);
        }
        HttpResponse<String> refused = basic("clerk", "clerk");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 300L);
        assertThat(refused.body()).contains("TOO_MANY_LOGIN_FAILURES");
        // the login form refuses the same user, before the password is checked
        WebFixture.Browser browser = hub.new Browser();
        String token = WebFixture.csrf(browser.get("/login").body());
        assertThat(browser.form("/login", "username=clerk&password=clerk&_csrf=" + token).statusCode()).isEqualTo(429);
        assertThat(hub.get("/api/cases", "viewer").statusCode()).as("other users from the same address").isEqualTo(200);
    }

    @Test
    void twenty_failed_logins_from_one_address_refuse_every_login_from_it() throws Exception {
        // another loopback address than the other tests', so only this test's client is refused
        String address = "127.0.0.2";
        for (int i = 0; i < 20; i++) {
            assertThat(statusFrom(address, "nobody-" + i, "guess")).as("failed login %d", i + 1).isEqualTo(401);
        }
        assertThat(statusFrom(address, "viewer", "viewer")).isEqualTo(429);
        assertThat(statusFrom("127.0.0.1", "viewer", "viewer")).isEqualTo(200);
    }

    private HttpResponse<String> basic(String user, String password) {
        return hub.send(hub.request("/api/cases", null).header("Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8))).GET().build());
    }

    /** The status of GET /api/cases with Basic credentials, sent from the given local address. */
    private int statusFrom(String localAddress, String user, String password) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            String credentials = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().write(("GET /api/cases HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Basic "
                    + credentials + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void both_roles_read_the_api_and_the_dashboard() {
        String caseNo = hub.caseInScheme();
        for (String user : new String[] {"rep", "viewer"}) {
            assertThat(hub.get("/api/cases", user).statusCode()).as(user).isEqualTo(200);
            assertThat(hub.get("/api/cases/" + caseNo, user).statusCode()).as(user).isEqualTo(200);
            assertThat(hub.get("/api/reports/assessment?month=2026-11", user).statusCode()).as(user).isEqualTo(200);
            assertThat(hub.get("/api/reports/trend", user).statusCode()).as(user).isEqualTo(200);
            assertThat(hub.get("/api/agenda", user).statusCode()).as(user).isEqualTo(200);
            assertThat(hub.get("/", user).statusCode()).as(user).isEqualTo(200);
            assertThat(hub.get("/agenda", user).statusCode()).as(user).isEqualTo(200);
            assertThat(hub.get("/report", user).statusCode()).as(user).isEqualTo(200);
            assertThat(hub.get("/cases/" + caseNo, user).statusCode()).as(user).isEqualTo(200);
            assertThat(hub.get("/actuator/prometheus", user).statusCode()).as(user).isEqualTo(200);
        }
    }

    @Test
    void only_representatives_act() {
        String caseNo = hub.caseInScheme();
        HttpResponse<String> viewer = hub.action(caseNo, "pause", "viewer", "{\"reason\":\"客户要求暂缓\"}");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(WebFixture.json(hub.get("/api/cases/" + caseNo, "rep")).get("waitingForCustomer").isNull()).isTrue();
        assertThat(hub.action(caseNo, "pause", "rep", "{\"reason\":\"客户要求暂缓\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void the_viewer_sees_no_action_forms_and_cannot_post_them() {
        String caseNo = hub.caseInScheme();
        WebFixture.Browser viewer = hub.new Browser().login("viewer");
        String page = viewer.get("/cases/" + caseNo).body();
        assertThat(page).doesNotContain("/actions/pause");
        String token = WebFixture.csrf(page);
        assertThat(viewer.form("/cases/" + caseNo + "/actions/pause", "reason=x&_csrf=" + token).statusCode()).isEqualTo(403);
        WebFixture.Browser rep = hub.new Browser().login("rep");
        assertThat(rep.get("/cases/" + caseNo).body()).contains("/actions/pause");
    }

    @Test
    void browser_forms_need_the_csrf_token() {
        String caseNo = hub.caseInScheme();
        WebFixture.Browser rep = hub.new Browser().login("rep");
        String token = WebFixture.csrf(rep.get("/cases/" + caseNo).body());
        assertThat(rep.form("/cases/" + caseNo + "/actions/pause", "reason=x").statusCode()).isEqualTo(403);
        assertThat(rep.form("/search", "q=" + caseNo).statusCode()).isEqualTo(403);
        HttpResponse<String> ok = rep.form("/cases/" + caseNo + "/actions/pause", "reason=" + WebFixture.form("客户要求暂缓") + "&_csrf=" + token);
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(ok.headers().firstValue("Location").orElseThrow()).endsWith("/cases/" + caseNo);
        assertThat(rep.get("/cases/" + caseNo).body()).contains("客户要求暂缓");
    }

    @Test
    void the_dashboard_session_does_not_authenticate_the_api() {
        String caseNo = hub.caseInScheme();
        WebFixture.Browser rep = hub.new Browser().login("rep");
        assertThat(rep.get("/api/cases").statusCode()).isEqualTo(401);
        assertThat(rep.client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.base + "/api/cases/" + caseNo
                        + "/actions/resume")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).join().statusCode()).isEqualTo(401);
    }

    @Test
    void logout_ends_the_session() {
        WebFixture.Browser rep = hub.new Browser().login("rep");
        String token = WebFixture.csrf(rep.get("/").body());
        HttpResponse<String> out = rep.form("/logout", "_csrf=" + token);
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/login?logout");
        assertThat(rep.get("/").statusCode()).isEqualTo(302);
    }
}
