package cn.yekuo.hub.documents;

/** An archived document is missing or its bytes no longer match the SHA-256 recorded when it was issued. */
public class DocumentArchiveException extends RuntimeException {

    public DocumentArchiveException(String message) {
        super(message);
    }

    public DocumentArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
