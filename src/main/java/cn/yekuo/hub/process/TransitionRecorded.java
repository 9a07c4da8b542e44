package cn.yekuo.hub.process;

import java.util.List;

import cn.yekuo.hub.domain.workflow.Effect;

/**
 * A transition is recorded: the case, its tasks, clocks and every {@link CaseEffectHandler}'s records (the customer
 * documents) are written. Published inside the transaction, so what a listener writes (hand-off mails in the outbox)
 * commits with it and can refer to everything the transition recorded.
 */
public record TransitionRecorded(CaseContext context, List<Effect> effects) {
}
