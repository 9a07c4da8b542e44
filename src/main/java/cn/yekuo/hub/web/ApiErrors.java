package cn.yekuo.hub.web;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import cn.yekuo.hub.security.ApiProblems;

/**
 * Errors of the HTTP API's controllers as RFC 9457 problem details (docs/contract.md §4.5): {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance}, and the API's own {@code code}, {@code field}
 * (validation), {@code message}. Spring's own refusals of {@code /api/**} (no such path, method, parameter) are
 * {@link ApiStandardErrors}'; 401 and 403 the security chain's, 413 and 411 {@link RequestSizeLimit}'s.
 */
@RestControllerAdvice(assignableTypes = {CaseApiController.class, ReportApiController.class, AgendaApiController.class,
        QuarantineApiController.class, DeadLetterApiController.class})
@Order(Ordered.HIGHEST_PRECEDENCE) // before the global ApiStandardErrors for the API's own controllers
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        return body(e.status(), e.code(), e.field(), e.getMessage(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return body(HttpStatus.BAD_REQUEST, "VALIDATION", "body", "body: must be a JSON object", request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "VALIDATION", "body", "body: send application/json", request);
    }

    /** Spring's refusals in a controller (a parameter of the wrong type, a missing one): as {@link ApiStandardErrors}. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> other(Exception e, HttpServletRequest request) {
        ResponseEntity<ProblemDetail> standard = ApiStandardErrors.standard(e, request);
        if (standard != null) {
            return standard;
        }
        log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL", null, "the hub failed to answer; the error is in its log",
                request);
    }

    static ResponseEntity<ProblemDetail> body(HttpStatusCode status, String code, String field, String message,
                                              HttpServletRequest request) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ApiProblems.problem(status, code, field, message, request.getRequestURI()));
    }

    /** The code of one of Spring's own refusals, from its status. */
    static String code(HttpStatusCode status) {
        return switch (status.value()) {
            case 400, 415, 422 -> "VALIDATION";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 413 -> "TOO_LARGE";
            case 503 -> "UNAVAILABLE";
            default -> status.is4xxClientError() ? "BAD_REQUEST" : "INTERNAL";
        };
    }

    /** Spring's own detail of a refusal that has one. */
    static String detail(ErrorResponse e) {
        String detail = e.getBody().getDetail();
        return detail == null ? e.getStatusCode().toString() : detail;
    }
}
