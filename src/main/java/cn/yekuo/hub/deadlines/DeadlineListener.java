package cn.yekuo.hub.deadlines;

/**
 * Hook for features that act on deadlines (the mail feature turns notices into mails). Every bean of this type
 * is called inside the watcher's transaction for the node: write to the outbox, never send directly; an exception
 * rolls the whole notice back and the node is looked at again on the next scan.
 */
public interface DeadlineListener {

    /** The warning threshold of a node was reached (docs/domain.md: 20% of the limit left, at least one working day). */
    default void warning(DeadlineNotice notice) {
    }

    /** A node's deadline passed while the listed units still owed their answer. */
    default void missed(DeadlineNotice notice) {
    }
}
