package cn.yekuo.hub.replies;

import java.util.Optional;
import java.util.Set;

import cn.yekuo.hub.domain.TaskKind;

/** What {@link ReplyValidator} needs to know from the case store about the task a token names. */
@FunctionalInterface
public interface TaskDirectory {

    /** The task, or empty when the case or the task number is unknown. */
    Optional<AddressedTask> task(String caseNo, int taskNo);

    /** True when the task was opened before tokens grew to 12 hex digits, so its hand-off carried a 6-hex one. */
    default boolean acceptsLegacyToken(String caseNo, int taskNo) {
        return false;
    }

    /**
     * @param allowedSenders the allow-list of the unit the task went to (addresses, any case)
     * @param unitName       how notices name that unit, e.g. {@code 生产技术部}
     */
    record AddressedTask(TaskKind kind, boolean open, Set<String> allowedSenders, String unitName) {
    }
}
