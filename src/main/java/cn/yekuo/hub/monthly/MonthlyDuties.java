package cn.yekuo.hub.monthly;

import cn.yekuo.hub.assessment.AssessmentReports;
import cn.yekuo.hub.reports.MonthlyRuns;
import cn.yekuo.hub.returnvisits.ReturnVisits;
import java.text.ParseException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;

import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import cn.yekuo.hub.config.HubProperties;

/**
 * The monthly jobs as the routes of {@code routes/monthly.yaml} fire them (camel-quartz, clustered JDBC job store: one hub
 * per firing), each for the month before the hub's clock, and the catch-up at start: a job whose first firing of the
 * current month has passed without the month being produced (the hub was down) runs now; the daily check does the
 * same, so a firing that failed (database down at 08:00) is made good the same day. The jobs themselves are
 * idempotent under the {@code monthly} job lock, so a catch-up racing a firing or another hub produces nothing twice.
 */
@Component("monthlyDuties")
public class MonthlyDuties {

    private static final Logger log = LoggerFactory.getLogger(MonthlyDuties.class);

    private final ReturnVisits returnVisits;
    private final AssessmentReports assessment;
    private final MonthlyRuns runs;
    private final Clock clock;
    private final ZoneId zone;
    private final String planCron;
    private final String assessmentCron;
    private final boolean catchUp;
    private static final java.time.Duration CATCH_UP_STOP_WAIT = java.time.Duration.ofSeconds(30);
    private Thread catchUpThread;

    public MonthlyDuties(ReturnVisits returnVisits, AssessmentReports assessment, MonthlyRuns runs, Clock clock,
                         HubProperties hub) {
        this.returnVisits = returnVisits;
        this.assessment = assessment;
        this.runs = runs;
        this.clock = clock;
        this.zone = hub.businessZone();
        this.planCron = hub.monthly().planCron();
        this.assessmentCron = hub.monthly().assessmentCron();
        this.catchUp = hub.monthly().catchUp();
    }

    /** The month a job run now reports on: the one before the current month (Asia/Shanghai). */
    public YearMonth previousMonth() {
        return YearMonth.from(OffsetDateTime.now(clock).atZoneSameInstant(zone)).minusMonths(1);
    }

    public void plans() {
        returnVisits.producePlans(previousMonth(), false);
    }

    /** Daily: whatever this month should have produced by now and has not (a failed firing), then the silence check. */
    public void check() {
        catchUp();
    }

    public void assessment() {
        assessment.produce(previousMonth(), false);
    }

    /**
     * The catch-up at start runs once the hub is up, on a thread of its own: readiness is published only after every
     * ready listener has returned, and last month's reports (seconds on a fresh database) are no reason to hold it back.
     */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void catchUpAtStart() {
        if (catchUp && catchUpThread == null) {
            catchUpThread = new Thread(this::catchUpNow, "monthly-catch-up");
            catchUpThread.setDaemon(true);
            catchUpThread.start();
        }
    }

    private void catchUpNow() {
        try {
            catchUp();
        } catch (RuntimeException e) {
            // the hub must start even when the database is down: the daily check route catches up
            log.error("Catch-up of the monthly jobs failed at start; the daily check will produce what is missing", e);
        }
    }

    /** A stop during the catch-up lets it finish its month (each month is one transaction) before the pool closes. */
    @jakarta.annotation.PreDestroy
    synchronized void awaitCatchUp() throws InterruptedException {
        if (catchUpThread != null) {
            catchUpThread.join(CATCH_UP_STOP_WAIT.toMillis());
        }
    }

    /** Runs what this month should have run by now and has not; then the silence check. */
    public void catchUp() {
        YearMonth month = previousMonth();
        if (due(planCron) && runs.find(MonthlyRuns.PLANS, month).isEmpty()) {
            log.warn("Catching up: the return-visit plans of {} were not produced at their time", month);
            returnVisits.producePlans(month, false);
        }
        if (due(assessmentCron) && runs.find(MonthlyRuns.ASSESSMENT, month).isEmpty()) {
            log.warn("Catching up: the assessment report of {} was not produced at its time", month);
            assessment.produce(month, false);
        }
        returnVisits.check();
    }

    /** True when the cron's first firing of the current month (business zone) is not in the future. */
    boolean due(String cron) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            OffsetDateTime now = OffsetDateTime.now(clock);
            Date monthStart = Date.from(YearMonth.from(now.atZoneSameInstant(zone)).atDay(1).atStartOfDay(zone).toInstant());
            Date first = expression.getNextValidTimeAfter(new Date(monthStart.getTime() - 1000));
            return first != null && !first.toInstant().isAfter(now.toInstant());
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a Quartz cron: " + cron, e);
        }
    }
}
