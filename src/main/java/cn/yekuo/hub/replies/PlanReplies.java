package cn.yekuo.hub.replies;

import java.time.OffsetDateTime;
import java.util.Optional;

import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.tokens.TokenRef;

/**
 * Takes a supply station's reply to its return-visit plan (implemented by the return-visits feature, which owns the
 * plans): empty when it was recorded, else why the whole mail goes to Quarantine.
 */
public interface PlanReplies {

    Optional<Rejection> take(UnitReply reply, TokenRef.ReturnVisit plan, String mailKey, OffsetDateTime now);
}
