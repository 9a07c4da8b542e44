package cn.yekuo.hub.security;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Errors of {@code /api/**} as RFC 9457 problem details ({@code application/problem+json}, docs/contract.md §4.5):
 * {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}, and the members the API always had,
 * {@code code}, {@code field} (validation) and {@code message}, so that older clients keep working. Here because the
 * security chain answers 401 and 403 before any controller runs; the web package uses it for the rest.
 */
public final class ApiProblems {

    /** The {@code type} of a problem: this base and its code in lower case with hyphens (an identifier, not a page). */
    public static final String TYPE_BASE = "https://yekuo.example/problems/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiProblems() {
    }

    public static boolean isApi(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/api") || path.startsWith("/api/");
    }

    public static ProblemDetail problem(HttpStatusCode status, String code, String field, String message, String instance) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, message);
        p.setType(URI.create(TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-')));
        HttpStatus known = HttpStatus.resolve(status.value());
        p.setTitle(known == null ? "HTTP " + status.value() : known.getReasonPhrase());
        if (instance != null) {
            p.setInstance(URI.create(instance));
        }
        p.setProperty("code", code);
        if (field != null) {
            p.setProperty("field", field);
        }
        p.setProperty("message", message);
        return p;
    }

    /** The problem of a request answered outside Spring MVC (a filter, the security chain). */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatusCode status, String code,
                             String message) throws IOException {
        ProblemDetail p = problem(status, code, null, message, request.getRequestURI());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", p.getType().toString());
        body.put("title", p.getTitle());
        body.put("status", p.getStatus());
        body.put("detail", p.getDetail());
        body.put("instance", p.getInstance().toString());
        body.putAll(p.getProperties());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
