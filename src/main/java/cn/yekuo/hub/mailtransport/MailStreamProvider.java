package cn.yekuo.hub.mailtransport;

import jakarta.mail.util.StreamProvider;

/**
 * Names Jakarta Mail's stream provider once for the JVM. Jakarta Mail 2.1 looks the provider up on every MIME
 * encode and every multipart ({@code StreamProvider.provider()}), by default with a {@link java.util.ServiceLoader}
 * scan of the whole class path (jakartaee/mail-api#861): 15% of the intake threads' time in a profile of the
 * benchmark. A system property naming the implementation turns that scan into a plain class look-up.
 */
public final class MailStreamProvider {

    /** Angus Mail's implementation, the one the ServiceLoader would find. */
    static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";

    private MailStreamProvider() {
    }

    /** Sets the property unless the operator set it (idempotent). */
    public static void pin() {
        System.getProperties().putIfAbsent(StreamProvider.class.getName(), ANGUS);
    }
}
