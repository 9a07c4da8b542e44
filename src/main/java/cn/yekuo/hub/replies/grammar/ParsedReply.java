package cn.yekuo.hub.replies.grammar;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of a reply body as {@link ReplyGrammar} read them. Typed values are present only when
 * their text was readable; every unreadable value is in {@link #problems()}.
 *
 * @param fields        text of each known key (NOTE and DEFECTS lines given twice are joined)
 * @param unknownFields keys we do not know, kept for the record but not used
 * @param problems      UNKNOWN_RESULT and INVALID_VALUE rejections, in line order
 */
public record ParsedReply(
        Map<ReplyKey, String> fields,
        Map<String, String> unknownFields,
        Optional<ReplyResult> result,
        Optional<Boolean> assetTransfer,
        Optional<BigDecimal> fees,
        List<String> defects,
        Optional<LocalDateTime> energizedAt,
        List<Rejection> problems) {

    public ParsedReply {
        fields = Map.copyOf(fields);
        unknownFields = Map.copyOf(unknownFields);
        defects = List.copyOf(defects);
        problems = List.copyOf(problems);
    }

    public Optional<String> text(ReplyKey key) {
        return Optional.ofNullable(fields.get(key));
    }

    public boolean has(ReplyKey key) {
        return fields.containsKey(key);
    }

    /** No known key with a value: nothing a task could use. */
    public boolean isEmpty() {
        return fields.isEmpty();
    }
}
