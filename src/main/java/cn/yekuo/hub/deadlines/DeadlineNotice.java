package cn.yekuo.hub.deadlines;

import java.time.OffsetDateTime;
import java.util.List;

import cn.yekuo.hub.domain.time.Node;

/**
 * A deadline warning or miss, as the deadline watcher recorded it.
 *
 * @param caseNo      the hub's case number
 * @param caseId      the case's id in the store
 * @param nodeId      the clock's row ({@code case_node.id})
 * @param node        the timed node
 * @param units       unit codes that still owe their answer (open tasks on the node, else the node's responsible units)
 * @param dueAt       end of the last allowed day (docs/contract.md §1 {@code dueAt})
 * @param at          when the watcher recorded it (the hub's clock)
 * @param overrunDays days over the limit at {@code at}; 0 for a warning
 */
public record DeadlineNotice(String caseNo, long caseId, long nodeId, Node node, List<String> units,
                             OffsetDateTime dueAt, OffsetDateTime at, int overrunDays) {

    public DeadlineNotice {
        units = List.copyOf(units);
    }
}
