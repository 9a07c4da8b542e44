package cn.yekuo.hub.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A unit's (or the representatives') mail client over real SMTP and IMAP: login and password are the address,
 * as on the embedded server. Messages are copied out of the store, so they stay readable after it closes.
 */
public final class MailClient {

    private final String host;
    private final int smtpPort;
    private final int imapPort;
    private final Session session;

    public MailClient(int smtpPort, int imapPort) {
        this("127.0.0.1", smtpPort, imapPort);
    }

    public MailClient(String host, int smtpPort, int imapPort) {
        this.host = host;
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", String.valueOf(smtpPort));
        props.put("mail.smtp.auth", "true");
        props.put("mail.imap.host", host);
        props.put("mail.imap.port", String.valueOf(imapPort));
        props.put("mail.smtp.connectiontimeout", "5000");
        // looking must not mark a mail as seen: the hub reads only unseen mail
        props.put("mail.imap.peek", "true");
        props.put("mail.imap.connectiontimeout", "5000");
        this.session = Session.getInstance(props);
    }

    public static MailClient ofTestHub() {
        return new MailClient(TestPorts.SMTP, TestPorts.IMAP);
    }

    public Session session() {
        return session;
    }

    /** Sends the message as it is (a parsed raw mail keeps its bytes and its Message-ID), logged in as {@code from}. */
    public void send(String from, MimeMessage message) {
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(host, smtpPort, from, from);
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain UTF-8 text mail as a person writes it in a mail client (a fresh Message-ID once sent). */
    public MimeMessage textMail(String from, String to, String subject, String body) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(from));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
            m.setSubject(subject, "UTF-8");
            m.setText(body, "UTF-8");
            m.saveChanges();
            return m;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a {@link #textMail} logged in as {@code from}; returns its Message-ID. */
    public String sendText(String from, String to, String subject, String body) {
        MimeMessage m = textMail(from, to, subject, body);
        send(from, m);
        try {
            return m.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends raw RFC 822 bytes exactly as given (charsets, encoded words and all). */
    public void sendRaw(String from, byte[] raw) {
        try {
            send(from, new MimeMessage(session, new ByteArrayInputStream(raw)));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The messages of a folder of {@code address}'s mailbox (empty when the folder does not exist). */
    public List<MimeMessage> messages(String address, String folderName) {
        return messages(address, folderName, m -> true);
    }

    /**
     * Copies of the messages matching {@code match}, which sees the server's message (headers are fetched as
     * needed, the body only if the predicate reads it): a large mail in the folder is not downloaded for nothing.
     */
    public List<MimeMessage> messages(String address, String folderName, Predicate<MimeMessage> match) {
        List<MimeMessage> copies = new ArrayList<>();
        try (Store store = session.getStore("imap")) {
            store.connect(host, imapPort, address, address);
            Folder folder = store.getFolder(folderName);
            if (!folder.exists()) {
                return copies;
            }
            folder.open(Folder.READ_ONLY);
            try {
                for (Message m : folder.getMessages()) {
                    if (!match.test((MimeMessage) m)) {
                        continue;
                    }
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    m.writeTo(bytes);
                    copies.add(new MimeMessage(session, new ByteArrayInputStream(bytes.toByteArray())));
                }
            } finally {
                folder.close(false);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return copies;
    }

    public List<MimeMessage> inbox(String address) {
        return messages(address, "INBOX");
    }

    /**
     * The newest message matching {@code match}, looked for from the end of the folder: a folder of the shared hub
     * holds every earlier test's mails (some of 10 MB), and reading them all at each poll is what made waits slow.
     */
    private List<MimeMessage> newest(String address, String folderName, Predicate<MimeMessage> match) {
        try (Store store = session.getStore("imap")) {
            store.connect(host, imapPort, address, address);
            Folder folder = store.getFolder(folderName);
            if (!folder.exists()) {
                return List.of();
            }
            folder.open(Folder.READ_ONLY);
            try {
                for (int n = folder.getMessageCount(); n >= 1; n--) {
                    MimeMessage m = (MimeMessage) folder.getMessage(n);
                    if (match.test(m)) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        m.writeTo(bytes);
                        return List.of(new MimeMessage(session, new ByteArrayInputStream(bytes.toByteArray())));
                    }
                }
                return List.of();
            } finally {
                folder.close(false);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a message matching {@code match} in the folder and returns the newest such. */
    public MimeMessage await(String address, String folder, Predicate<MimeMessage> match, Duration timeout) {
        try {
            return Awaitility.await("a matching mail in " + address + "/" + folder).atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> newest(address, folder, match), found -> !found.isEmpty()).get(0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no matching mail in " + address + "/" + folder + " within " + timeout, e);
        }
    }

    public static Predicate<MimeMessage> subjectContains(String text) {
        return m -> {
            try {
                return m.getSubject() != null && m.getSubject().contains(text);
            } catch (MessagingException e) {
                return false;
            }
        };
    }

    public static Predicate<MimeMessage> messageId(String id) {
        return m -> {
            try {
                return id.equals(m.getMessageID());
            } catch (MessagingException e) {
                return false;
            }
        };
    }

    public static Predicate<MimeMessage> textContains(String text) {
        return m -> textOf(m).contains(text);
    }

    /** The first text/plain part, decoded. */
    public static String textOf(jakarta.mail.Part part) {
        try {
            if (part.isMimeType("text/plain")) {
                return part.getContent().toString();
            }
            if (part.isMimeType("multipart/*")) {
                jakarta.mail.Multipart mp = (jakarta.mail.Multipart) part.getContent();
                for (int i = 0; i < mp.getCount(); i++) {
                    String text = textOf(mp.getBodyPart(i));
                    if (!text.isEmpty()) {
                        return text;
                    }
                }
            }
            return "";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static InternetAddress address(String a) {
        try {
            return new InternetAddress(a);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
