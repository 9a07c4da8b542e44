package cn.yekuo.hub.web;

import org.springframework.http.HttpStatus;

/** An answer other than 2xx, with the field it concerns (validation) or the workflow's refusal code. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String field;
    private final String code;

    public ApiException(HttpStatus status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "VALIDATION", field, field + ": " + message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", null, message);
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String code() {
        return code;
    }
}
