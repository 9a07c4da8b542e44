package cn.yekuo.hub.domain.workflow;

import java.time.OffsetDateTime;
import java.util.List;

/** One completion acceptance (竣工验收) answer: the task that carried it, pass/fail, defects. */
public record AcceptanceResult(int taskNo, boolean passed, List<String> defects, OffsetDateTime at) {
    public AcceptanceResult {
        defects = List.copyOf(defects);
    }
}
