package cn.yekuo.hub.replies;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** Builds mails from raw RFC 822 bytes, the way they arrive from Chinese mail clients over IMAP. */
public final class RawMail {

    public static final Session SESSION = Session.getInstance(new Properties());
    public static final Charset GBK = Charset.forName("GBK");
    public static final Charset GB2312 = Charset.forName("GB2312");
    public static final Charset GB18030 = Charset.forName("GB18030");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private RawMail() {
    }

    /** Starts a mail with the given header lines (\n-separated, ASCII; written with CRLF). */
    public static RawMail headers(String headerLines) {
        RawMail mail = new RawMail();
        mail.ascii(headerLines.stripTrailing() + "\n\n");
        return mail;
    }

    RawMail ascii(String text) {
        bytes.writeBytes(text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public RawMail text(String text, Charset charset) {
        bytes.writeBytes(text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(charset));
        return this;
    }

    public RawMail base64(byte[] content) {
        return ascii(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content) + "\n");
    }

    public byte[] bytes() {
        return bytes.toByteArray();
    }

    MimeMessage parse() {
        return parse(bytes());
    }

    public static MimeMessage parse(byte[] raw) {
        try {
            return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code =?charset?B?...?=} of exactly these bytes (which may end in half a character). */
    public static String bWord(String charset, byte[] content) {
        return "=?" + charset + "?B?" + Base64.getEncoder().encodeToString(content) + "?=";
    }

    /** A unit's plain-text reply in the given charset, 8bit. */
    public static MimeMessage plainReply(String from, String subjectHeaderValue, String body, Charset charset, String label) {
        return headers("""
                From: %s
                To: hub@yekuo.local
                Subject: %s
                Message-ID: <reply-1@unit.example.cn>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=%s
                Content-Transfer-Encoding: 8bit
                """.formatted(from, subjectHeaderValue, label)).text(body, charset).parse();
    }

    /** A UTF-8 subject header value as a client would encode it. */
    public static String utf8Subject(String subject) {
        return bWord("UTF-8", subject.getBytes(StandardCharsets.UTF_8));
    }
}
