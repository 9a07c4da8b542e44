package cn.yekuo.hub.ops;

import java.util.List;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Which hub node reports the cluster-wide business gauges: of the members of the Quartz cluster that the hub already
 * runs (the instances checking in to {@code QRTZ_SCHEDULER_STATE}), the live one with the smallest instance id. Every
 * node reads the same table, so they agree; when the reporting node stops or dies, the next one reports once Quartz
 * no longer counts it as live. A single node (the embedded default) is always the one.
 */
@Repository
public class ReportingNode {

    /** Quartz's own grace before it takes a silent instance for dead (ClusterManager: 7.5 s past its interval). */
    static final long GRACE_MILLIS = 7_500;

    private final JdbcTemplate jdbc;
    private final Scheduler scheduler;

    public ReportingNode(JdbcTemplate jdbc, Scheduler scheduler) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
    }

    /** True when this node is the one to report; false also while its scheduler has not checked in yet. */
    public boolean isThisNode() {
        try {
            String self = scheduler.getSchedulerInstanceId();
            long now = System.currentTimeMillis();
            List<String> live = jdbc.queryForList("select instance_name from qrtz_scheduler_state where sched_name = ?"
                            + " and last_checkin_time + 2 * checkin_interval + ? >= ? order by instance_name",
                    String.class, scheduler.getSchedulerName(), GRACE_MILLIS, now);
            return !live.isEmpty() && live.get(0).equals(self);
        } catch (SchedulerException e) {
            throw new IllegalStateException("the Quartz scheduler cannot tell its instance", e);
        }
    }
}
