package cn.yekuo.hub.domain;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The structured values of a supply scheme as the units write them (docs/contract.md §2.3): approved capacity,
 * transformer lines {@code 型号×台数×容量}, works items {@code 新建 …}/{@code 改造 …}, transferred assets
 * {@code 名称|规格|数量|账面价值}, CT/PT ratios and the power factor. One parser for the reply check and the documents,
 * so that a document prints exactly what was accepted. Every item is at most {@link #MAX_ITEM_CHARS} characters
 * before a pattern sees it.
 */
public final class SchemeItems {

    /** Longest single item (one transformer, work or asset line) a pattern is applied to. */
    public static final int MAX_ITEM_CHARS = 200;
    /** Items of a list key are kept one per line. */
    public static final String ITEM_SEPARATOR = "\n";
    /** What a unit writes for an empty works list. */
    public static final String NONE = "无";

    private static final Pattern KVA = Pattern.compile("(\\d{1,6})\\s*(?:kva|千伏安)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern TRANSFORMER = Pattern.compile(
            "(.+?)\\s*[×xX*]\\s*(\\d{1,3})\\s*台?\\s*[×xX*]\\s*(\\d{1,6})\\s*(?:kva|千伏安)", Pattern.CASE_INSENSITIVE);
    private static final Pattern RATIO = Pattern.compile("(\\d{1,6}(?:\\.\\d{1,3})?)\\s*/\\s*(\\d{1,6}(?:\\.\\d{1,3})?)\\s*(?:a|v|kv)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern POWER_FACTOR = Pattern.compile("0\\.\\d{1,2}");
    private static final Pattern AMOUNT_DECORATION = Pattern.compile("(?i)人民币|元整|元|rmb|cny|yuan|[¥,\\s]");
    private static final Pattern AMOUNT = Pattern.compile("\\d{1,12}(\\.\\d{1,2})?");

    private SchemeItems() {
    }

    /** One transformer line: {@code S13-M-800/10 × 2 × 800kVA} (model, units, kVA each). */
    public record Transformer(String model, int quantity, int kva) {
        public int totalKva() {
            return quantity * kva;
        }

        /** As printed: {@code S13-M-800/10×2×800kVA}. */
        public String text() {
            return model + "×" + quantity + "×" + kva + "kVA";
        }
    }

    /** New-build (新建) or renovation (改造) work of the scheme. */
    public enum WorkKind {
        NEW_BUILD("新建"), RENOVATION("改造");

        private final String chinese;

        WorkKind(String chinese) {
            this.chinese = chinese;
        }

        public String chinese() {
            return chinese;
        }
    }

    /** One works item: {@code 新建 10kV电缆线路 YJV22-3×300 0.4km}. */
    public record Work(WorkKind kind, String description) {
    }

    /** One asset to transfer: name, specification and quantity as written (may be empty), the book value in yuan. */
    public record Asset(String name, String specification, String quantity, BigDecimal bookValue) {
    }

    /** The items of a list value: its lines, trimmed, blanks dropped. */
    public static List<String> items(String value) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String line : value.split(ITEM_SEPARATOR)) {
                if (!line.isBlank()) {
                    items.add(line.strip());
                }
            }
        }
        return items;
    }

    /** {@code 2050kVA}, {@code 2050 kVA}, {@code 2050千伏安} or a bare number, positive. */
    public static Optional<Integer> capacity(String text) {
        String t = normalised(text);
        if (t == null) {
            return Optional.empty();
        }
        Matcher m = KVA.matcher(t);
        return m.matches() && Integer.parseInt(m.group(1)) > 0 ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    public static Optional<Transformer> transformer(String text) {
        String t = normalised(text);
        if (t == null) {
            return Optional.empty();
        }
        Matcher m = TRANSFORMER.matcher(t);
        if (!m.matches()) {
            return Optional.empty();
        }
        int quantity = Integer.parseInt(m.group(2));
        int kva = Integer.parseInt(m.group(3));
        String model = m.group(1).strip();
        return quantity > 0 && kva > 0 && !model.isEmpty() ? Optional.of(new Transformer(model, quantity, kva)) : Optional.empty();
    }

    /** {@code 新建 …}, {@code 改造 …} (also {@code 新建：…} read as one item with a full-width space or a comma). */
    public static Optional<Work> work(String text) {
        String t = text == null ? "" : text.strip();
        if (t.length() > MAX_ITEM_CHARS) {
            return Optional.empty();
        }
        for (WorkKind kind : WorkKind.values()) {
            if (t.startsWith(kind.chinese())) {
                String description = t.substring(kind.chinese().length()).replaceFirst("^[\\s　,，、]+", "").strip();
                return description.isEmpty() ? Optional.empty() : Optional.of(new Work(kind, description));
            }
        }
        return Optional.empty();
    }

    /** {@code 10kV环网柜 | HXGN15-12 | 1台 | 86000.00}: name first, book value last, the middle two may be left out. */
    public static Optional<Asset> asset(String text) {
        if (text == null || text.strip().length() > MAX_ITEM_CHARS) {
            return Optional.empty();
        }
        String[] parts = text.split("[|｜]", -1);
        if (parts.length < 2 || parts.length > 4) {
            return Optional.empty();
        }
        String name = parts[0].strip();
        Optional<BigDecimal> value = amount(parts[parts.length - 1]);
        if (name.isEmpty() || value.isEmpty()) {
            return Optional.empty();
        }
        String specification = parts.length > 2 ? parts[1].strip() : "";
        String quantity = parts.length > 3 ? parts[2].strip() : "";
        return Optional.of(new Asset(name, specification, quantity, value.get()));
    }

    /** A CT or PT ratio as primary/secondary numbers: {@code 300/5}, {@code 10000/100} (a trailing A or V tolerated). */
    public static Optional<String> ratio(String text) {
        String t = normalised(text);
        if (t == null) {
            return Optional.empty();
        }
        Matcher m = RATIO.matcher(t);
        return m.matches() ? Optional.of(m.group(1) + "/" + m.group(2)) : Optional.empty();
    }

    /** The power-factor standard, {@code 0.90}, {@code 0.85}, {@code 0.8}: printed with two decimals. */
    public static Optional<String> powerFactor(String text) {
        String t = normalised(text);
        if (t == null || !POWER_FACTOR.matcher(t).matches()) {
            return Optional.empty();
        }
        BigDecimal value = new BigDecimal(t);
        return value.signum() > 0 ? Optional.of(value.setScale(2).toPlainString()) : Optional.empty();
    }

    /** An amount in yuan, up to 2 decimals, with ¥/元/RMB/commas allowed around it. */
    public static Optional<BigDecimal> amount(String text) {
        String t = normalised(text);
        if (t == null) {
            return Optional.empty();
        }
        String digits = AMOUNT_DECORATION.matcher(t).replaceAll("");
        return AMOUNT.matcher(digits).matches() ? Optional.of(new BigDecimal(digits)) : Optional.empty();
    }

    /** NFKC (full-width digits, ×, ｜ stay readable), trimmed; null when absent or too long for a pattern. */
    private static String normalised(String text) {
        if (text == null || text.length() > MAX_ITEM_CHARS) {
            return null;
        }
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
        return t.isEmpty() ? null : t;
    }
}
