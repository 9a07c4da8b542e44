package cn.yekuo.hub.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import cn.yekuo.hub.security.ApiProblems;

/**
 * Spring MVC's own refusals of a request to {@code /api/**} that no API controller handled (an unknown path, a method
 * the path does not take) as problem details; the dashboard's pages keep Spring Boot's error page (the exception is
 * handed back, so Spring's default handling answers as before).
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiStandardErrors {

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class,
            HttpRequestMethodNotSupportedException.class, HttpMediaTypeNotAcceptableException.class,
            ServletRequestBindingException.class, TypeMismatchException.class})
    ResponseEntity<ProblemDetail> refused(Exception e, HttpServletRequest request) throws Exception {
        ResponseEntity<ProblemDetail> answer = ApiProblems.isApi(request) ? standard(e, request) : null;
        if (answer == null) {
            throw e; // not the API's: Spring's default handling
        }
        return answer;
    }

    /** The problem for one of Spring's refusals, or null when {@code e} is none. */
    static ResponseEntity<ProblemDetail> standard(Exception e, HttpServletRequest request) {
        if (e instanceof MethodArgumentTypeMismatchException m) {
            return ApiErrors.body(HttpStatus.BAD_REQUEST, "VALIDATION", m.getName(),
                    m.getName() + ": '" + m.getValue() + "' is not a valid value", request);
        }
        if (e instanceof MissingServletRequestParameterException m) {
            return ApiErrors.body(HttpStatus.BAD_REQUEST, "VALIDATION", m.getParameterName(),
                    m.getParameterName() + ": is required", request);
        }
        if (e instanceof TypeMismatchException m) {
            return ApiErrors.body(HttpStatus.BAD_REQUEST, "VALIDATION", m.getPropertyName(),
                    m.getPropertyName() + ": '" + m.getValue() + "' is not a valid value", request);
        }
        if (e instanceof ErrorResponse r) {
            ResponseEntity<ProblemDetail> answer = ApiErrors.body(r.getStatusCode(), ApiErrors.code(r.getStatusCode()), null,
                    ApiErrors.detail(r), request);
            if (e instanceof HttpRequestMethodNotSupportedException m && m.getSupportedHttpMethods() != null) {
                return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                        .allow(m.getSupportedHttpMethods().toArray(org.springframework.http.HttpMethod[]::new))
                        .body(answer.getBody());
            }
            return answer;
        }
        return null;
    }
}
