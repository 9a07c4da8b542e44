package cn.yekuo.hub.replies;

import cn.yekuo.hub.mailtransport.HtmlText;
import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.mailtransport.MailCharsets;
import cn.yekuo.hub.mailtransport.TextLines;
import cn.yekuo.hub.replies.grammar.Rejection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.ParseException;

/**
 * Reads a unit's mail into a {@link UnitReply}: sender, decoded subject, Message-ID, body text
 * (text/plain preferred, else HTML as text) and attachments, enforcing the size limits. Text is
 * decoded by this class rather than by {@code getContent()}, so GB2312-labelled GBK, a missing or a
 * wrong charset and split encoded words all come out readable.
 */
public final class UnitReplyReader {

    public static final long DEFAULT_MAX_ATTACHMENT_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_MAX_MAIL_BYTES = 25L * 1024 * 1024;

    public static final int DEFAULT_MAX_SUBJECT_CHARS = 2000;
    public static final int DEFAULT_MAX_HEADERS = 500;
    public static final long DEFAULT_MAX_BODY_BYTES = 1024L * 1024;
    public static final int DEFAULT_MAX_MIME_DEPTH = 8;
    public static final int DEFAULT_MAX_PARTS = 100;
    /** What a subject's start quoted in notices and logs may hold. */
    public static final int QUOTED_SUBJECT_CHARS = 200;

    private final long maxAttachmentBytes;
    private final long maxMailBytes;
    private final int maxSubjectChars;
    private final int maxHeaders;
    private final long maxBodyBytes;
    private final int maxMimeDepth;
    private final int maxParts;
    private final AutoReplyDetector autoReplies = new AutoReplyDetector();

    public UnitReplyReader() {
        this(DEFAULT_MAX_ATTACHMENT_BYTES, DEFAULT_MAX_MAIL_BYTES);
    }

    public UnitReplyReader(long maxAttachmentBytes, long maxMailBytes) {
        this(maxAttachmentBytes, maxMailBytes, DEFAULT_MAX_SUBJECT_CHARS, DEFAULT_MAX_HEADERS, DEFAULT_MAX_BODY_BYTES);
    }

    public UnitReplyReader(long maxAttachmentBytes, long maxMailBytes, int maxSubjectChars, int maxHeaders, long maxBodyBytes) {
        this(maxAttachmentBytes, maxMailBytes, maxSubjectChars, maxHeaders, maxBodyBytes, DEFAULT_MAX_MIME_DEPTH,
                DEFAULT_MAX_PARTS);
    }

    public UnitReplyReader(long maxAttachmentBytes, long maxMailBytes, int maxSubjectChars, int maxHeaders, long maxBodyBytes,
                           int maxMimeDepth, int maxParts) {
        if (maxAttachmentBytes <= 0 || maxMailBytes <= 0 || maxSubjectChars <= 0 || maxHeaders <= 0 || maxBodyBytes <= 0
                || maxMimeDepth <= 0 || maxParts <= 0) {
            throw new IllegalArgumentException("size limits must be positive");
        }
        this.maxAttachmentBytes = maxAttachmentBytes;
        this.maxMailBytes = maxMailBytes;
        this.maxSubjectChars = maxSubjectChars;
        this.maxHeaders = maxHeaders;
        this.maxBodyBytes = maxBodyBytes;
        this.maxMimeDepth = maxMimeDepth;
        this.maxParts = maxParts;
    }

    public long maxMailBytes() {
        return maxMailBytes;
    }

    /** The start of a subject, for notices and logs: never the whole of a huge one. */
    public static String quoted(String subject) {
        if (subject == null || subject.length() <= QUOTED_SUBJECT_CHARS) {
            return subject;
        }
        return subject.substring(0, QUOTED_SUBJECT_CHARS) + "…(" + subject.length() + ")";
    }

    public MailReading read(MimeMessage message) {
        Optional<String> sender = Optional.empty();
        Optional<String> subject = Optional.empty();
        try {
            int headers = 0;
            for (var all = message.getAllHeaders(); all.hasMoreElements() && headers <= maxHeaders; all.nextElement()) {
                headers++;
            }
            sender = senderOf(message);
            if (headers > maxHeaders) {
                return new MailReading.Refused(Rejection.tooManyHeaders(headers, maxHeaders), sender, Optional.empty());
            }
            String rawSubject = message.getHeader("Subject", null);
            // an encoded word takes at most ~12 characters per decoded one: longer is over the limit before decoding
            if (rawSubject != null && rawSubject.length() > 12L * maxSubjectChars) {
                return new MailReading.Refused(Rejection.subjectTooLong(rawSubject.length(), maxSubjectChars), sender,
                        Optional.of(quoted(rawSubject)));
            }
            subject = Optional.ofNullable(MailCharsets.decodeHeader(rawSubject));
            if (subject.isPresent() && subject.get().length() > maxSubjectChars) {
                return new MailReading.Refused(Rejection.subjectTooLong(subject.get().length(), maxSubjectChars), sender,
                        subject.map(UnitReplyReader::quoted));
            }
            long size = sizeOf(message);
            if (size > maxMailBytes) {
                return new MailReading.Refused(Rejection.mailTooLarge(size, maxMailBytes), sender, subject);
            }
            if (sender.isEmpty()) {
                return new MailReading.Refused(Rejection.unreadable("没有可读的发件人地址 / no readable From address"),
                        sender, subject);
            }
            Contents contents = new Contents();
            collect(message, contents, 0);
            if (contents.tooLarge != null) {
                return new MailReading.Refused(contents.tooLarge, sender, subject);
            }
            String body = contents.plain != null ? contents.plain
                    : contents.html != null ? HtmlText.toText(contents.html) : "";
            String[] authResults = message.getHeader("Authentication-Results");
            UnitReply reply = new UnitReply(sender.get(), subject.orElse(""),
                    Optional.ofNullable(message.getMessageID()).map(String::trim), body,
                    contents.attachments, autoReplies.detect(message), authResults == null ? List.of() : List.of(authResults));
            return new MailReading.Read(reply);
        } catch (MessagingException | IOException | RuntimeException e) {
            // A broken MIME structure must still end in quarantine with a reason, never in a retry loop.
            String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new MailReading.Refused(Rejection.unreadable(detail), sender, subject);
        }
    }

    private static Optional<String> senderOf(MimeMessage message) {
        Address[] from;
        try {
            from = message.getFrom();
        } catch (MessagingException e) {
            return Optional.empty();
        }
        if (from == null) {
            return Optional.empty();
        }
        for (Address address : from) {
            if (address instanceof InternetAddress internet && internet.getAddress() != null
                    && internet.getAddress().contains("@")) {
                return Optional.of(internet.getAddress().trim().toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    /** The server's size when it knows it (IMAP RFC822.SIZE), else the bytes the mail writes. */
    private long sizeOf(MimeMessage message) throws MessagingException, IOException {
        int known = message.getSize();
        if (known >= 0) {
            return known;
        }
        CountingSink sink = new CountingSink(maxMailBytes);
        try {
            message.writeTo(sink);
        } catch (LimitReached e) {
            return sink.count;
        }
        return sink.count;
    }

    private static final class Contents {
        String plain;
        String html;
        final List<MailAttachment> attachments = new ArrayList<>();
        /** Why the mail is refused (over a size or structure limit); null while it is not. */
        Rejection tooLarge;
        int parts;
    }

    /** {@code depth}: the multiparts around {@code part}; each level is parsed once more, so it is bounded first. */
    private void collect(Part part, Contents contents, int depth) throws MessagingException, IOException {
        if (contents.tooLarge != null) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            if (depth >= maxMimeDepth) {
                contents.tooLarge = Rejection.mimeTooDeep(maxMimeDepth);
                return;
            }
            Object content = part.getContent();
            if (!(content instanceof Multipart multipart)) {
                throw new MessagingException("multipart without parts");
            }
            contents.parts += multipart.getCount();
            if (contents.parts > maxParts) {
                contents.tooLarge = Rejection.tooManyParts(maxParts);
                return;
            }
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, contents, depth + 1);
            }
            return;
        }
        String fileName = fileNameOf(part);
        boolean isAttachment = Part.ATTACHMENT.equalsIgnoreCase(dispositionOf(part)) || fileName != null;
        if (!isAttachment && part.isMimeType("text/plain") && contents.plain == null) {
            contents.plain = readText(part, contents);
            return;
        }
        if (!isAttachment && part.isMimeType("text/html") && contents.html == null) {
            contents.html = readText(part, contents);
            return;
        }
        String name = fileName != null ? fileName : "attachment-" + (contents.attachments.size() + 1);
        byte[] bytes = readLimited(part, name, contents);
        if (bytes != null) {
            contents.attachments.add(new MailAttachment(name, baseTypeOf(part), bytes));
        }
    }

    /** The text of a body part, or null (and contents.tooLarge set) when it exceeds the body limit. */
    private String readText(Part part, Contents contents) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                contents.tooLarge = Rejection.bodyTooLarge(maxBodyBytes);
                return null;
            }
            return MailCharsets.decode(bytes, charsetOf(part));
        }
    }

    /** The attachment's bytes, or null (and contents.tooLarge set) when it exceeds the limit. */
    private byte[] readLimited(Part part, String name, Contents contents) throws MessagingException, IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = part.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total <= maxAttachmentBytes) {
                    kept.write(buffer, 0, n);
                }
            }
        }
        if (total > maxAttachmentBytes) {
            contents.tooLarge = Rejection.attachmentTooLarge(name, total, maxAttachmentBytes);
            return null;
        }
        return kept.toByteArray();
    }

    private static String dispositionOf(Part part) {
        try {
            return part.getDisposition();
        } catch (MessagingException e) {
            return null; // a broken disposition does not hide the part; it is kept as an attachment
        }
    }

    /** The file name from Content-Disposition or Content-Type, RFC 2231 or RFC 2047 or raw 8-bit. */
    private static String fileNameOf(Part part) throws MessagingException {
        String name = null;
        String[] disposition = part.getHeader("Content-Disposition");
        if (disposition != null && disposition.length > 0) {
            try {
                name = new ContentDisposition(disposition[0]).getParameter("filename");
            } catch (ParseException e) {
                name = null;
            }
        }
        if (name == null) {
            String[] type = part.getHeader("Content-Type");
            if (type != null && type.length > 0) {
                try {
                    name = new ContentType(type[0]).getParameter("name");
                } catch (ParseException e) {
                    name = null;
                }
            }
        }
        if (name == null || name.isBlank()) {
            return null;
        }
        return TextLines.trim(MailCharsets.decodeHeader(name));
    }

    private static String charsetOf(Part part) {
        try {
            return new ContentType(part.getContentType()).getParameter("charset");
        } catch (MessagingException e) {
            return null; // unreadable Content-Type: let the fallbacks guess
        }
    }

    private static String baseTypeOf(Part part) {
        try {
            return new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return "application/octet-stream";
        }
    }

    private static final class LimitReached extends IOException {
        LimitReached() {
            super("size limit reached");
        }
    }

    /** Counts what a mail writes and stops it as soon as it is over the limit. */
    private static final class CountingSink extends OutputStream {
        private final long limit;
        long count;

        CountingSink(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            add(len);
        }

        private void add(long n) throws LimitReached {
            count += n;
            if (count > limit) {
                throw new LimitReached();
            }
        }
    }
}
