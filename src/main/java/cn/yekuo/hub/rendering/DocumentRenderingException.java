package cn.yekuo.hub.rendering;

/** A customer document could not be rendered (template error, data missing for the type, PDF error). */
public class DocumentRenderingException extends RuntimeException {

    public DocumentRenderingException(String message) {
        super(message);
    }

    public DocumentRenderingException(String message, Throwable cause) {
        super(message, cause);
    }
}
