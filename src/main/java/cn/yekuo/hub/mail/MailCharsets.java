package cn.yekuo.hub.mail;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes mail text the way Chinese mail arrives: GB2312, GBK and their aliases are decoded as
 * GB18030 (a superset: clients label GBK text "GB2312"), and a missing, unknown or wrong label falls
 * back to UTF-8, then GB18030.
 */
final class MailCharsets {

    static final Charset GB18030 = Charset.forName("GB18030");

    private static final Set<String> CHINESE_LABELS = Set.of(
            "gb2312", "gbk", "gb18030", "cp936", "ms936", "windows-936", "x-gbk", "euc-cn", "x-euc-cn",
            "csgb2312", "gb_2312-80", "chinese", "iso-ir-58");

    // Labels that decode any byte sequence without error, so they cannot tell us they are wrong.
    private static final Set<Charset> PERMISSIVE = Set.of(
            StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII);

    private MailCharsets() {
    }

    /** The charset to decode a label with; empty when the label is missing or unknown to this JVM. */
    static Optional<Charset> forLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String name = label.trim().replace("\"", "").toLowerCase(Locale.ROOT);
        int language = name.indexOf('*'); // RFC 2231 language suffix: gb2312*zh
        if (language >= 0) {
            name = name.substring(0, language);
        }
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (CHINESE_LABELS.contains(name)) {
            return Optional.of(GB18030);
        }
        if (name.equals("utf8")) {
            return Optional.of(StandardCharsets.UTF_8);
        }
        try {
            return Optional.of(Charset.forName(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Decodes with the labelled charset if the bytes fit it, else UTF-8, else GB18030. */
    static String decode(byte[] bytes, String label) {
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
