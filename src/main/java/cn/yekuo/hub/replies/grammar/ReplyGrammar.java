package cn.yekuo.hub.replies.grammar;

import cn.yekuo.hub.domain.SchemeItems;
import cn.yekuo.hub.mailtransport.TextLines;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the {@code key: value} lines of a unit's reply (docs/contract.md §2). Keys in English (any case) or
 * Chinese, {@code :} or {@code ：}, whitespace including U+3000 trimmed; quoted lines, the signature
 * and a quoted original are skipped (see {@link TextLines}). Lines that are not {@code key: value}
 * are prose and ignored.
 */
public final class ReplyGrammar {

    // A left-hand side longer than this is a sentence with a colon in it, not a key.
    private static final int MAX_KEY_LENGTH = 40;
    // A yes/no, an amount or a date is never longer than this, whatever decoration it carries.
    private static final int MAX_TYPED_VALUE_LENGTH = 100;
    private static final Pattern SEPARATOR = Pattern.compile("[:：]");
    private static final Pattern AMOUNT_DECORATION =
            Pattern.compile("(?i)人民币|元整|元|rmb|cny|yuan|[¥￥,\\s]");
    private static final Pattern AMOUNT = Pattern.compile("\\d+(\\.\\d{1,2})?");
    private static final Pattern DEFECT_SEPARATOR = Pattern.compile("[;；]");
    private static final List<DateTimeFormatter> ENERGIZED_AT_FORMATS = List.of(
            DateTimeFormatter.ofPattern("uuuu-M-d H:mm"),
            DateTimeFormatter.ofPattern("uuuu-M-d H:mm:ss"),
            DateTimeFormatter.ofPattern("uuuu/M/d H:mm"),
            DateTimeFormatter.ofPattern("uuuu/M/d H:mm:ss"),
            DateTimeFormatter.ofPattern("uuuu-M-d'T'H:mm"),
            DateTimeFormatter.ofPattern("uuuu年M月d日 H:mm"),
            DateTimeFormatter.ofPattern("uuuu年M月d日H:mm"));

    public ParsedReply parse(String body) {
        Map<ReplyKey, String> fields = new EnumMap<>(ReplyKey.class);
        Map<String, String> unknown = new LinkedHashMap<>();
        List<Rejection> problems = new ArrayList<>();

        for (String line : TextLines.writtenByReplier(body)) {
            var separator = SEPARATOR.matcher(line);
            if (!separator.find()) {
                continue;
            }
            String label = TextLines.trim(line.substring(0, separator.start()));
            String value = TextLines.trim(line.substring(separator.end()));
            if (label.isEmpty() || label.length() > MAX_KEY_LENGTH || value.isEmpty()) {
                continue; // an empty template line is not an answer
            }
            Optional<ReplyKey> key = ReplyKey.fromLabel(label);
            if (key.isEmpty()) {
                unknown.putIfAbsent(label, value);
                continue;
            }
            String earlier = fields.get(key.get());
            if (earlier == null) {
                fields.put(key.get(), value);
            } else if (key.get() == ReplyKey.NOTE) {
                fields.put(key.get(), earlier + "\n" + value);
            } else if (key.get() == ReplyKey.DEFECTS) {
                fields.put(key.get(), earlier + "；" + value);
            } else if (key.get().isList()) {
                fields.put(key.get(), earlier + SchemeItems.ITEM_SEPARATOR + value);
            } else if (!earlier.equals(value)) {
                problems.add(Rejection.invalidValue(key.get(), value,
                        "只填一次（前面已填“" + earlier + "”）", "a single value (\"" + earlier + "\" given before)"));
            }
        }

        Optional<ReplyResult> result = Optional.empty();
        if (fields.containsKey(ReplyKey.RESULT)) {
            result = ReplyResult.fromText(fields.get(ReplyKey.RESULT));
            if (result.isEmpty()) {
                problems.add(Rejection.unknownResult(fields.get(ReplyKey.RESULT)));
            }
        }
        Optional<Boolean> assetTransfer = typed(fields, ReplyKey.ASSET_TRANSFER, ReplyGrammar::yesNo,
                "“是”或“否”", "YES or NO", problems);
        Optional<BigDecimal> fees = typed(fields, ReplyKey.FEES, ReplyGrammar::amount,
                "金额（元），例如“12800.00”", "an amount in yuan such as 12800.00", problems);
        Optional<LocalDateTime> energizedAt = typed(fields, ReplyKey.ENERGIZED_AT, ReplyGrammar::dateTime,
                "日期时间，例如“2027-03-01 10:30”", "a date and time such as 2027-03-01 10:30", problems);
        for (ReplyKey list : List.of(ReplyKey.TRANSFORMER, ReplyKey.WORKS, ReplyKey.ASSET)) {
            if (fields.containsKey(list)) {
                fields.put(list, String.join(SchemeItems.ITEM_SEPARATOR, listItems(fields.get(list))));
            }
        }
        schemeValues(fields, problems);
        List<String> defects = fields.containsKey(ReplyKey.DEFECTS)
                ? Arrays.stream(DEFECT_SEPARATOR.split(fields.get(ReplyKey.DEFECTS)))
                        .map(TextLines::trim).filter(s -> !s.isEmpty()).toList()
                : List.of();

        return new ParsedReply(fields, unknown, result, assetTransfer, fees, defects, energizedAt, problems);
    }

    /** The items of a list key: one per line given, a line may hold several separated by {@code ;}/{@code ；}. */
    private static List<String> listItems(String joined) {
        List<String> items = new ArrayList<>();
        for (String line : joined.split(SchemeItems.ITEM_SEPARATOR)) {
            for (String item : DEFECT_SEPARATOR.split(line)) {
                if (!TextLines.trim(item).isEmpty()) {
                    items.add(TextLines.trim(item));
                }
            }
        }
        return items;
    }

    /** The scheme's structured values (docs/contract.md §2.3): each unreadable one, item by item, is a problem. */
    private static void schemeValues(Map<ReplyKey, String> fields, List<Rejection> problems) {
        check(fields, ReplyKey.APPROVED_CAPACITY, v -> SchemeItems.capacity(v).isPresent(),
                "容量（kVA），例如“2050kVA”", "a capacity in kVA such as 2050kVA", problems);
        check(fields, ReplyKey.CT_RATIO, v -> SchemeItems.ratio(v).isPresent(),
                "变比，例如“300/5”", "a ratio such as 300/5", problems);
        check(fields, ReplyKey.PT_RATIO, v -> SchemeItems.ratio(v).isPresent(),
                "变比，例如“10000/100”", "a ratio such as 10000/100", problems);
        check(fields, ReplyKey.POWER_FACTOR, v -> SchemeItems.powerFactor(v).isPresent(),
                "0 与 1 之间的小数，例如“0.90”", "a decimal below 1 such as 0.90", problems);
        check(fields, ReplyKey.TRANSFORMER, v -> SchemeItems.transformer(v).isPresent(),
                "“型号×台数×容量”，例如“S13-M-800/10×2×800kVA”", "model×units×capacity such as S13-M-800/10×2×800kVA", problems);
        check(fields, ReplyKey.WORKS, v -> SchemeItems.work(v).isPresent()
                        || (v.equals(SchemeItems.NONE) && SchemeItems.items(fields.get(ReplyKey.WORKS)).size() == 1),
                "以“新建”或“改造”开头的工程项目，例如“新建 10kV电缆线路0.4km”，没有工程时填“无”",
                "an item starting with 新建 (new build) or 改造 (renovation), or 无 when there is none", problems);
        check(fields, ReplyKey.ASSET, v -> SchemeItems.asset(v).isPresent(),
                "“名称|规格|数量|账面价值”，例如“10kV环网柜|HXGN15-12|1台|86000.00”",
                "name|specification|quantity|book value such as 10kV ring main unit|HXGN15-12|1|86000.00", problems);
    }

    private static void check(Map<ReplyKey, String> fields, ReplyKey key, java.util.function.Predicate<String> readable,
                              String expectedZh, String expectedEn, List<Rejection> problems) {
        String text = fields.get(key);
        if (text == null) {
            return;
        }
        for (String item : key.isList() ? SchemeItems.items(text) : List.of(text)) {
            if (!readable.test(item)) {
                problems.add(Rejection.invalidValue(key, item, expectedZh, expectedEn));
            }
        }
    }

    private interface ValueReader<T> {
        Optional<T> read(String normalised);
    }

    private static <T> Optional<T> typed(Map<ReplyKey, String> fields, ReplyKey key, ValueReader<T> reader,
                                         String expectedZh, String expectedEn, List<Rejection> problems) {
        String text = fields.get(key);
        if (text == null) {
            return Optional.empty();
        }
        // NFKC turns full-width digits, letters and colons (１０：３０) into ASCII; no regex sees over-long text.
        Optional<T> value = text.length() > MAX_TYPED_VALUE_LENGTH ? Optional.empty()
                : reader.read(Normalizer.normalize(text, Normalizer.Form.NFKC).trim());
        if (value.isEmpty()) {
            problems.add(Rejection.invalidValue(key, text, expectedZh, expectedEn));
        }
        return value;
    }

    private static Optional<Boolean> yesNo(String text) {
        String value = TextLines.stripTrailingStops(text).toUpperCase(Locale.ROOT);
        return switch (value) {
            case "是", "YES" -> Optional.of(true);
            case "否", "NO" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private static Optional<BigDecimal> amount(String text) {
        String digits = AMOUNT_DECORATION.matcher(text).replaceAll("");
        return AMOUNT.matcher(digits).matches() ? Optional.of(new BigDecimal(digits)) : Optional.empty();
    }

    private static Optional<LocalDateTime> dateTime(String text) {
        String value = text.replaceAll("\\s+", " ");
        for (DateTimeFormatter format : ENERGIZED_AT_FORMATS) {
            try {
                return Optional.of(LocalDateTime.parse(value, format));
            } catch (DateTimeParseException e) {
                // try the next spelling
            }
        }
        return Optional.empty();
    }
}
