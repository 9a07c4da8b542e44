package cn.yekuo.hub.process;

/**
 * Representative actions carried out by other features: resending a document to the customer (documents, issue 5)
 * and releasing a quarantined reply after checking it (mail, issue 4). Until a bean exists the actions answer
 * 501 Not Implemented with a message saying which feature is missing.
 */
public final class RepresentativePorts {

    private RepresentativePorts() {
    }

    /** How a delegated action ended: done, unknown to the case (404), or not fitting its state (409). */
    public record Answer(Status status, String message) {
        public enum Status { DONE, NOT_FOUND, CONFLICT }

        public static Answer done(String message) {
            return new Answer(Status.DONE, message);
        }
    }

    public interface DocumentResend {
        Answer resend(String caseNo, long documentId, String user);
    }

    public interface ReplyRelease {
        Answer release(String caseNo, long mailId, String user);
    }
}
