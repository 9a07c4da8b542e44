package cn.yekuo.hub.billing;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 3339 {@code date-time} as the JSON Schema format defines it (and the space RFC 3339 §5.6 allows for the {@code T}). Written by hand because
 * {@link OffsetDateTime#parse} refuses valid forms: a leap second ({@code 23:59:60}), lower-case {@code t}/{@code z},
 * more than nine fraction digits and offsets beyond ±18:00.
 * <p>
 * A leap second is read as the last nanosecond of the second before it ({@code 23:59:60Z} = {@code 23:59:59.999999999Z}):
 * it stays on its day and after every earlier time. {@code -00:00} ("offset unknown") is read as UTC; fraction digits
 * beyond nanoseconds are dropped.
 */
public final class Rfc3339 {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?(?:([Zz])|([+-])(\\d{2}):(\\d{2}))");

    private Rfc3339() {
    }

    /** @throws DateTimeParseException when the text is not an RFC 3339 date-time */
    public static OffsetDateTime parse(CharSequence text) {
        Matcher m = DATE_TIME.matcher(text);
        if (!m.matches()) {
            throw new DateTimeParseException("not an RFC 3339 date-time", text, 0);
        }
        try {
            int second = Integer.parseInt(m.group(6));
            boolean leap = second == 60;
            int nanos = leap ? 999_999_999 : nanos(m.group(7));
            LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    leap ? 59 : second, nanos);
            if (m.group(8) != null) {
                return local.atOffset(ZoneOffset.UTC);
            }
            int hours = Integer.parseInt(m.group(10));
            int minutes = Integer.parseInt(m.group(11));
            if (hours > 23 || minutes > 59) {
                throw new DateTimeParseException("offset out of range", text, m.start(9));
            }
            int offsetSeconds = (m.group(9).equals("-") ? -1 : 1) * (hours * 3600 + minutes * 60);
            if (Math.abs(offsetSeconds) > 18 * 3600) {
                // beyond what java.time can hold: the same instant in UTC
                return local.minusSeconds(offsetSeconds).atOffset(ZoneOffset.UTC);
            }
            return local.atOffset(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            throw e instanceof DateTimeParseException p ? p : new DateTimeParseException(e.getMessage(), text, 0, e);
        }
    }

    private static int nanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        String nine = fraction.length() >= 9 ? fraction.substring(0, 9) : (fraction + "000000000").substring(0, 9);
        return Integer.parseInt(nine);
    }
}
