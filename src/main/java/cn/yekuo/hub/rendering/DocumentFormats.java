package cn.yekuo.hub.rendering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formatting helpers the templates call as {@code fmt.date(...)} and so on. Every method returns plain text,
 * which the {@code .ftlh} templates escape like any other value.
 */
public final class DocumentFormats {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy年M月d日", Locale.CHINA);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy年M月d日 HH时mm分", Locale.CHINA);
    private static final String[] DIGITS = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
    private static final String[] SMALL_UNITS = {"", "拾", "佰", "仟"};
    private static final String[] BIG_UNITS = {"", "万", "亿", "万亿"};

    /** {@code 2026年11月27日}; empty for null. */
    public String date(LocalDate date) {
        return date == null ? "" : DATE.format(date);
    }

    /** {@code 2027年3月1日 10时30分}; empty for null. */
    public String dateTime(LocalDateTime dateTime) {
        return dateTime == null ? "" : DATE_TIME.format(dateTime);
    }

    /** {@code 12,800.00}; empty for null. */
    public String money(BigDecimal amount) {
        if (amount == null) {
            return "";
        }
        DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.CHINA));
        return f.format(amount.setScale(2, RoundingMode.HALF_UP));
    }

    /** The amount in Chinese capital numerals as written on Chinese financial documents: 壹万贰仟捌佰元整. */
    public String moneyInWords(BigDecimal amount) {
        if (amount == null) {
            return "";
        }
        BigDecimal a = amount.setScale(2, RoundingMode.HALF_UP);
        if (a.signum() < 0) {
            return "负" + moneyInWords(a.negate());
        }
        long yuan = a.longValue();
        int cents = a.remainder(BigDecimal.ONE).movePointRight(2).intValue();
        StringBuilder sb = new StringBuilder();
        if (yuan == 0) {
            sb.append(cents == 0 ? "零元" : "");
        } else {
            sb.append(integerInWords(yuan)).append("元");
        }
        int jiao = cents / 10;
        int fen = cents % 10;
        if (cents == 0) {
            sb.append("整");
        } else {
            if (jiao > 0) {
                sb.append(DIGITS[jiao]).append("角");
            } else if (yuan > 0) {
                sb.append("零");
            }
            if (fen > 0) {
                sb.append(DIGITS[fen]).append("分");
            } else {
                sb.append("整");
            }
        }
        return sb.toString();
    }

    private static String integerInWords(long n) {
        StringBuilder out = new StringBuilder();
        int group = 0;
        boolean zeroPending = false;
        while (n > 0) {
            int part = (int) (n % 10000);
            n /= 10000;
            if (part != 0) {
                String p = groupInWords(part) + BIG_UNITS[group];
                if (zeroPending && out.length() > 0) {
                    p = p + "零";
                }
                out.insert(0, p);
                zeroPending = part < 1000;
            } else if (out.length() > 0) {
                zeroPending = true;
            }
            group++;
        }
        String s = out.toString();
        return s.startsWith("零") ? s.substring(1) : s;
    }

    private static String groupInWords(int part) {
        StringBuilder sb = new StringBuilder();
        boolean zero = false;
        for (int i = 3; i >= 0; i--) {
            int d = (part / (int) Math.pow(10, i)) % 10;
            if (d == 0) {
                zero = sb.length() > 0;
            } else {
                if (zero) {
                    sb.append("零");
                    zero = false;
                }
                sb.append(DIGITS[d]).append(SMALL_UNITS[i]);
            }
        }
        return sb.toString();
    }
}
