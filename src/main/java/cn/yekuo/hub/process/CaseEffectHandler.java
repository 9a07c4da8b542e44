package cn.yekuo.hub.process;

import cn.yekuo.hub.domain.workflow.Effect;

/**
 * A feature that reacts to the workflow's effects (hand-off mails, customer documents…). Called inside the
 * transition's transaction, after the case, its tasks and clocks are written: whatever it writes (outbox rows)
 * commits or rolls back with the state change.
 */
public interface CaseEffectHandler {

    void on(CaseContext context, Effect effect);
}
