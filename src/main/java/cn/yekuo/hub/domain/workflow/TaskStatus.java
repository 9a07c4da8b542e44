package cn.yekuo.hub.domain.workflow;

/** Life of a hand-off task. */
public enum TaskStatus {
    OPEN, CLOSED, CANCELLED
}
