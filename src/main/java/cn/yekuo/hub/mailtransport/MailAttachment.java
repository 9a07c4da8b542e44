package cn.yekuo.hub.mailtransport;

import java.util.Arrays;
import java.util.Objects;

/**
 * A file attached to a unit's reply, kept with the case when the reply is accepted.
 *
 * @param fileName    decoded file name (RFC 2231 or RFC 2047), or {@code attachment-N} when the part names none
 * @param contentType base type in lower case, e.g. {@code application/pdf}
 */
public record MailAttachment(String fileName, String contentType, byte[] content) {

    public MailAttachment {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    public long size() {
        return content.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailAttachment other && fileName.equals(other.fileName)
                && contentType.equals(other.contentType) && Arrays.equals(content, other.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, contentType, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "MailAttachment[" + fileName + ", " + contentType + ", " + content.length + " bytes]";
    }
}
