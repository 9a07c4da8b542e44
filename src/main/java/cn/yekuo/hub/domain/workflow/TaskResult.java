package cn.yekuo.hub.domain.workflow;

/** The {@code RESULT} values of a unit's reply (docs/contract.md §2), already mapped from Chinese. */
public enum TaskResult {
    APPROVED, REJECTED, DONE, FAILED, INSPECTION_REQUESTED, COMPLETED;

    /** A positive result must carry the task kind's required fields. */
    public boolean isPositive() {
        return this == APPROVED || this == DONE || this == COMPLETED;
    }
}
