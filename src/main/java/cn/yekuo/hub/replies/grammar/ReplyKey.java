package cn.yekuo.hub.replies.grammar;

import cn.yekuo.hub.mailtransport.TextLines;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Keys of a unit's reply (docs/contract.md §2), each written in English or Chinese. */
public enum ReplyKey {
    RESULT("结论"),
    NOTE("说明"),
    SOURCE("电源点"),
    CONNECTION_POINT("接入点"),
    OWNERSHIP_BOUNDARY("产权分界点"),
    METERING("计量方式"),
    TARIFF("电价类别"),
    ASSET_TRANSFER("资产移交"),
    FEES("业务费用"),
    DEFECTS("缺陷"),
    METER_NO("电能表号"),
    ENERGIZED_AT("送电时间"),
    // the scheme's contents printed on the letter and the contract (issue 17): production's technical part
    APPROVED_CAPACITY("核定容量"),
    TRANSFORMER("变压器"),
    CONNECTION_METHOD("接入方式"),
    WORKS("工程项目"),
    // marketing's business part
    NATURE_OF_USE("用电性质"),
    METERING_POINT("计量点"),
    CT_RATIO("电流互感器变比"),
    PT_RATIO("电压互感器变比"),
    ACCURACY_CLASS("准确度等级"),
    POWER_FACTOR("功率因数"),
    ASSET("移交资产");

    /** Keys a unit may give on several lines, one item each (docs/contract.md §2.3). */
    public boolean isList() {
        return this == TRANSFORMER || this == WORKS || this == ASSET;
    }

    // The hand-off template writes keys as "电源点 (SOURCE)"; a unit filling it in keeps the bracket.
    private static final Pattern BRACKETED_SUFFIX = Pattern.compile("\\s*[(（][^()（）]*[)）]\\s*$");
    private static final int MAX_LABEL_LENGTH = 40;
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[\\s\\-]+");

    private final String chinese;

    ReplyKey(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }

    /** {@code 电源点 (SOURCE)}: how the hand-off template names the key. */
    public String label() {
        return chinese + " (" + name() + ")";
    }

    /**
     * The key a line's left-hand side names: English in any case ({@code Connection point} too) or
     * Chinese, with or without the template's bracketed translation.
     */
    public static Optional<ReplyKey> fromLabel(String label) {
        String bare = TextLines.trim(label);
        if (bare.length() > MAX_LABEL_LENGTH) {
            return Optional.empty(); // a key is short: the regexes below never see mail-sized text
        }
        String unbracketed = TextLines.trim(BRACKETED_SUFFIX.matcher(bare).replaceFirst(""));
        for (String candidate : new String[] {bare, unbracketed}) {
            String english = WORD_SEPARATORS.matcher(candidate).replaceAll("_").toUpperCase(Locale.ROOT);
            for (ReplyKey key : values()) {
                if (key.name().equals(english) || key.chinese.equals(candidate)) {
                    return Optional.of(key);
                }
            }
        }
        return Optional.empty();
    }
}
