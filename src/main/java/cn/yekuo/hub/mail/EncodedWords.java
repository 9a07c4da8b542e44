package cn.yekuo.hub.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 decoding that survives what Chinese clients send: adjacent encoded words of one charset
 * are joined at the byte level before decoding, because a GB2312 character is often split between
 * two words; unknown or wrong charsets fall back like bodies do ({@link MailCharsets}).
 */
final class EncodedWords {

    private static final Pattern ENCODED_WORD =
            Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
    private static final Pattern FOLD = Pattern.compile("\\r?\\n(?=[ \\t])");
    private static final Pattern LINE_BREAK = Pattern.compile("\\r?\\n");

    private EncodedWords() {
    }

    /** Decodes a raw (possibly folded) header value; null stays null. */
    static String decode(String raw) {
        if (raw == null) {
            return null;
        }
        String value = LINE_BREAK.matcher(FOLD.matcher(raw).replaceAll("")).replaceAll("");
        StringBuilder out = new StringBuilder();
        Matcher word = ENCODED_WORD.matcher(value);
        int textStart = 0;
        String runCharset = null;
        ByteArrayOutputStream runBytes = new ByteArrayOutputStream();

        while (word.find()) {
            String between = value.substring(textStart, word.start());
            byte[] bytes = wordBytes(word.group(2), word.group(3));
            boolean adjacent = runCharset != null && between.isBlank(); // whitespace between words is not text
            String charset = word.group(1).toLowerCase(Locale.ROOT);
            if (bytes == null) {
                flush(out, runCharset, runBytes);
                runCharset = null;
                out.append(MailCharsets.reinterpretRawHeader(between)).append(word.group());
            } else if (adjacent && sameCharset(runCharset, charset)) {
                runBytes.writeBytes(bytes);
            } else {
                flush(out, runCharset, runBytes);
                if (!adjacent) {
                    out.append(MailCharsets.reinterpretRawHeader(between));
                }
                runCharset = charset;
                runBytes.writeBytes(bytes);
            }
            textStart = word.end();
        }
        flush(out, runCharset, runBytes);
        out.append(MailCharsets.reinterpretRawHeader(value.substring(textStart)));
        return out.toString();
    }

    private static boolean sameCharset(String a, String b) {
        var known = MailCharsets.forLabel(a);
        return known.isPresent() ? known.equals(MailCharsets.forLabel(b)) : a.equals(b);
    }

    private static void flush(StringBuilder out, String charset, ByteArrayOutputStream bytes) {
        if (charset != null && bytes.size() > 0) {
            out.append(MailCharsets.decode(bytes.toByteArray(), charset));
        }
        bytes.reset();
    }

    /** The bytes an encoded word carries, or null when its encoding is broken. */
    private static byte[] wordBytes(String encoding, String text) {
        try {
            if (encoding.equalsIgnoreCase("B")) {
                return Base64.getMimeDecoder().decode(text);
            }
            return quotedPrintable(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] quotedPrintable(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < ascii.length; i++) {
            byte b = ascii[i];
            if (b == '_') {
                out.write(' ');
            } else if (b == '=' && i + 2 < ascii.length) {
                out.write(Integer.parseInt(new String(ascii, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else if (b == '=') {
                throw new IllegalArgumentException("truncated escape in Q word");
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
