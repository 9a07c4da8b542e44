package cn.yekuo.hub.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.security.ApiProblems;

/**
 * A size limit on every request body (API JSON and dashboard forms): nothing a representative sends is large, so a
 * body over {@code yk.web.max-request-bytes} is answered 413 before it is read, and one of unknown length 411.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeLimit extends OncePerRequestFilter {

    private final long maxBytes;

    public RequestSizeLimit(HubProperties hub) {
        this.maxBytes = hub.web().maxRequestBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            refuse(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "TOO_LARGE",
                    "request body of " + length + " bytes is over the limit of " + maxBytes + " bytes");
            return;
        }
        if (length < 0 && request.getHeader("Transfer-Encoding") != null) {
            refuse(request, response, HttpStatus.LENGTH_REQUIRED, "LENGTH_REQUIRED", "a request body needs a Content-Length");
            return;
        }
        chain.doFilter(request, response);
    }

    /** A problem (docs/contract.md §4.5) for the API and the dashboard alike: no page is rendered for a refused body. */
    private static void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
                               String message) throws IOException {
        ApiProblems.write(request, response, status, code, message);
    }
}
