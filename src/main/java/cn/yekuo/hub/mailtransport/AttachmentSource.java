package cn.yekuo.hub.mailtransport;

/**
 * Where the bytes of an attachment kept by reference are read when its mail is sent: each feature that keeps files
 * (the document archive, the replies' attachments, the monthly files) answers for its own {@link OutgoingMail.Source}.
 */
public interface AttachmentSource {

    OutgoingMail.Source source();

    /** The kept bytes, checked against their recorded SHA-256. */
    byte[] read(long id);
}
