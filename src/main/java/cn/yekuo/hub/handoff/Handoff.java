package cn.yekuo.hub.handoff;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import cn.yekuo.hub.domain.TaskKind;

/**
 * What a hand-off mail says (docs/contract.md §2): the task it hands off and the facts the unit needs.
 *
 * @param summary label → value lines of the case summary, in the order given
 * @param ask     what the unit is asked to do, possibly several lines
 * @param due     the task's deadline, or null when no limit applies
 */
public record Handoff(String caseNo, int taskNo, TaskKind kind, String customerName,
                      Map<String, String> summary, String ask, OffsetDateTime due) {

    public Handoff {
        Objects.requireNonNull(caseNo, "caseNo");
        Objects.requireNonNull(kind, "kind");
        customerName = customerName == null ? "" : customerName;
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary == null ? Map.of() : summary));
        ask = ask == null ? "" : ask;
    }
}
