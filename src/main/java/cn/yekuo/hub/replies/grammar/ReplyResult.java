package cn.yekuo.hub.replies.grammar;

import cn.yekuo.hub.mailtransport.TextLines;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The value of {@code RESULT}/{@code 结论}, normalised from its English or Chinese spellings. */
public enum ReplyResult {
    APPROVED("同意", "通过"),
    REJECTED("不同意", "不通过"),
    DONE("完成"),
    FAILED("不合格"),
    INSPECTION_REQUESTED("申请中间检查"),
    COMPLETED("竣工");

    /** Longer text is no result, whatever it holds (trailing stops included). */
    static final int MAX_CHARS = 64;

    private final List<String> chineseSpellings;

    ReplyResult(String... chineseSpellings) {
        this.chineseSpellings = List.of(chineseSpellings);
    }

    /** The first Chinese spelling, used in templates and notices. */
    public String chinese() {
        return chineseSpellings.get(0);
    }

    /** REJECTED and FAILED send the case back; every other result moves it on. */
    public boolean isPositive() {
        return this != REJECTED && this != FAILED;
    }

    /** Exact spellings only (case and width ignored, trailing full stop tolerated): a result is no place to guess. */
    public static Optional<ReplyResult> fromText(String text) {
        String trimmed = TextLines.trim(text);
        if (trimmed.length() > MAX_CHARS) {
            return Optional.empty(); // no result is spelt that long: no regex runs over mail-sized text
        }
        String value = TextLines.stripTrailingStops(Normalizer.normalize(trimmed, Normalizer.Form.NFKC)).trim();
        String english = value.replaceAll("[\\s\\-]+", "_").toUpperCase(Locale.ROOT);
        for (ReplyResult result : values()) {
            if (result.name().equals(english) || result.chineseSpellings.contains(value)) {
                return Optional.of(result);
            }
        }
        return Optional.empty();
    }
}
