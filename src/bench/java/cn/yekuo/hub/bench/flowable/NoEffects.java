package cn.yekuo.hub.bench.flowable;

import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.task.service.delegate.DelegateTask;

/** The model's effects bound to nothing: bare Flowable, the reference run (FlowableLifecycle). */
public final class NoEffects {

    public void accepted(DelegateExecution execution) {
    }

    public void stage(DelegateExecution execution, String stage) {
    }

    public void document(DelegateExecution execution, String type) {
    }

    public void handoff(DelegateTask task) {
    }
}
