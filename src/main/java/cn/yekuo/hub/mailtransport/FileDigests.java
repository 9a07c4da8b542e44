package cn.yekuo.hub.mailtransport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of the files kept beside mails (raw mails, reply attachments, monthly files): written once, checked on read. */
public final class FileDigests {

    private FileDigests() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes read back from the file store, refused when they no longer match the SHA-256 recorded when kept. */
    public static byte[] checked(byte[] bytes, String sha256, String what) {
        String actual = HexFormat.of().formatHex(sha256().digest(bytes));
        if (!actual.equals(sha256)) {
            throw new IllegalStateException(what + " changed: SHA-256 " + actual + ", recorded " + sha256);
        }
        return bytes;
    }
}
