package cn.yekuo.hub.replies;

import cn.yekuo.hub.replies.grammar.ParsedReply;
import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.tokens.TokenRef;
import java.util.List;

import cn.yekuo.hub.domain.TaskKind;

/** {@link ReplyValidator}'s decision about a reply that could be read. */
public sealed interface Verdict permits Verdict.Accepted, Verdict.Quarantined {

    UnitReply reply();

    /** The reply answers an open task: the case may act on {@code parsed}. */
    record Accepted(UnitReply reply, TokenRef.Task token, TaskKind kind, ParsedReply parsed) implements Verdict {
    }

    /** The reply changes nothing: move it to {@code Quarantine} and tell the representatives why. */
    record Quarantined(UnitReply reply, List<Rejection> reasons) implements Verdict {
        public Quarantined {
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a quarantined reply needs a reason");
            }
            reasons = List.copyOf(reasons);
        }
    }
}
