package cn.yekuo.hub.mailtransport;

import java.io.ByteArrayOutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;

/**
 * Decodes mail text the way Chinese mail arrives. Charset labels are mapped by {@link MimeUtility#javaCharset}, whose
 * map already reads GB2312, GBK, CP936 and MS936 as GB18030 (the superset: clients label GBK text "GB2312").
 * <ul>
 * <li>Headers: RFC 2047 by {@link MimeUtility#decodeWord}, with one fix on top: adjacent encoded words of one charset
 * are joined at the byte level and decoded together, because Chinese clients split a GB2312 character between two
 * words.</li>
 * <li>Bodies: the labelled charset if the bytes fit it, else UTF-8, else GB18030 (a missing, unknown or wrong label).</li>
 * </ul>
 */
public final class MailCharsets {

    static final Charset GB18030 = Charset.forName("GB18030");

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
    private static final Pattern FOLD = Pattern.compile("\\r?\\n(?=[ \\t])");
    private static final Pattern LINE_BREAK = Pattern.compile("\\r?\\n");

    // Labels that decode any byte sequence without error, so they cannot tell us they are wrong.
    private static final Set<Charset> PERMISSIVE = Set.of(
            StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII);

    private MailCharsets() {
    }

    /** Decodes a raw (possibly folded) header value; null stays null. */
    public static String decodeHeader(String raw) {
        if (raw == null) {
            return null;
        }
        // unfolded by two linear regexes: MimeUtility.unfold copies the rest of the value at every fold
        String value = reinterpretRawHeader(LINE_BREAK.matcher(FOLD.matcher(raw).replaceAll("")).replaceAll(""));
        StringBuilder out = new StringBuilder();
        Matcher word = ENCODED_WORD.matcher(value);
        List<MatchResult> run = new ArrayList<>();
        int textStart = 0;
        while (word.find()) {
            String between = value.substring(textStart, word.start());
            boolean adjacent = !run.isEmpty() && between.isBlank(); // whitespace between encoded words is not text
            if (!adjacent || !sameCharset(run.get(0).group(1), word.group(1))) {
                out.append(decodeRun(value, run));
                run.clear();
                if (!adjacent) {
                    out.append(between);
                }
            }
            run.add(word.toMatchResult());
            textStart = word.end();
        }
        out.append(decodeRun(value, run)).append(value.substring(textStart));
        return out.toString();
    }

    /**
     * Adjacent words of one charset as one text: their bytes joined, so that a character split between them is whole
     * again (MimeUtility decodes word by word). A word that cannot be decoded stays as it was sent.
     */
    private static String decodeRun(String value, List<MatchResult> run) {
        if (run.isEmpty()) {
            return "";
        }
        try {
            if (run.size() == 1) {
                return MimeUtility.decodeWord(run.get(0).group());
            }
            Optional<Charset> charset = forLabel(run.get(0).group(1));
            if (charset.isEmpty()) {
                throw new UnsupportedEncodingException(run.get(0).group(1));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (MatchResult w : run) {
                // B by the JDK's decoder (a hostile subject has thousands of words: MimeUtility costs a stream each);
                // Q by MimeUtility read as ISO-8859-1, one char per byte, so the bytes stay as sent
                bytes.writeBytes(w.group(2).equalsIgnoreCase("B") ? Base64.getMimeDecoder().decode(w.group(3))
                        : MimeUtility.decodeWord("=?ISO-8859-1?Q?" + w.group(3) + "?=").getBytes(StandardCharsets.ISO_8859_1));
            }
            return new String(bytes.toByteArray(), charset.get());
        } catch (ParseException | UnsupportedEncodingException | RuntimeException e) {
            return value.substring(run.get(0).start(), run.get(run.size() - 1).end());
        }
    }

    private static boolean sameCharset(String a, String b) {
        var known = forLabel(a);
        return known.isPresent() ? known.equals(forLabel(b)) : a.equalsIgnoreCase(b);
    }

    /** The charset to decode a label with; empty when the label is missing or unknown to this JVM. */
    static Optional<Charset> forLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String name = label.trim().replace("\"", "");
        int language = name.indexOf('*'); // RFC 2231 language suffix: gb2312*zh
        if (language >= 0) {
            name = name.substring(0, language);
        }
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Charset.forName(MimeUtility.javaCharset(name.toLowerCase(Locale.ROOT))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Decodes a body with the labelled charset if the bytes fit it, else UTF-8, else GB18030. */
    public static String decode(byte[] bytes, String label) {
        Optional<Charset> declared = forLabel(label);
        if (declared.isPresent() && !isPermissive(declared.get())) {
            Optional<String> text = strictly(bytes, declared.get());
            if (text.isPresent()) {
                return text.get();
            }
        }
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        return strictly(bytes, StandardCharsets.UTF_8)
                .or(() -> strictly(bytes, GB18030))
                .orElseGet(() -> new String(bytes, declared.orElse(GB18030)));
    }

    /** Header text read as ISO-8859-1 by the parser but really raw 8-bit bytes (some clients send those). */
    static String reinterpretRawHeader(String text) {
        boolean eightBit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                return text; // already proper Unicode
            }
            eightBit |= c >= 0x80;
        }
        return eightBit ? decode(text.getBytes(StandardCharsets.ISO_8859_1), null) : text;
    }

    private static boolean isPermissive(Charset charset) {
        return PERMISSIVE.contains(charset) || charset.name().equalsIgnoreCase("windows-1252");
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> strictly(byte[] bytes, Charset charset) {
        try {
            CharBuffer chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
