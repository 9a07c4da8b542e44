package cn.yekuo.hub.rendering;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * The slow part of getting documents ready — font tables, compact faces, every template rendered once — run on a
 * background thread once the hub is ready (health 200, intake running): started at the context refresh it took the
 * second core from the rest of the start (issue 19). Documents rendered meanwhile are correct: they get the full faces
 * and pay the first-render costs.
 *
 * <p>A failed step (a template that does not render with the placeholder data, an unreadable font) is logged at
 * ERROR and turns {@link #health()} DOWN with the step and the reason: documents of that kind would fail too. The
 * other steps still run.
 */
public final class DocumentsWarmUp implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentsWarmUp.class);

    /** One step of the warm-up. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private enum State { NOT_STARTED, RUNNING, DONE, STOPPED }

    private final Map<String, Step> steps;
    private final long stopWaitMillis;
    private volatile State state = State.NOT_STARTED;
    private volatile long tookMillis;
    private volatile String failure;
    private volatile boolean stopping;
    private Thread thread;

    /** @param steps run in order, by name (the name appears in the log and in the failure reason) */
    public DocumentsWarmUp(Map<String, Step> steps) {
        this(steps, 10_000);
    }

    /** @param stopWaitMillis how long {@link #stop()} waits for the step in progress, so fonts are not closed under it */
    DocumentsWarmUp(Map<String, Step> steps, long stopWaitMillis) {
        this.steps = new LinkedHashMap<>(steps);
        this.stopWaitMillis = stopWaitMillis;
    }

    /** Starts the background thread and returns at once. */
    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        state = State.RUNNING;
        thread = new Thread(this::runSteps, "documents-warm-up");
        thread.setDaemon(true); // never holds the JVM open
        thread.start();
    }

    /** Not at the context refresh: once the application is ready. */
    @Override
    public boolean isAutoStartup() {
        return false;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        start();
    }

    /** Lets the step in progress finish (for a while) and skips the rest. */
    @Override
    public void stop() {
        Thread t;
        synchronized (this) {
            stopping = true;
            t = thread;
        }
        if (t != null) {
            try {
                t.join(stopWaitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return thread != null && !stopping;
    }

    /** The steps' names in the order they run. */
    List<String> stepNames() {
        return List.copyOf(steps.keySet());
    }

    /** Waits for the warm-up to end; for tests and benchmarks. @return whether it ended in time */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return false;
        }
        t.join(Math.max(1, unit.toMillis(timeout)));
        return !t.isAlive();
    }

    /**
     * UP with {@code warmUp: not started / running / done in N ms}; DOWN as soon as a step has failed, with the
     * failed steps and their reasons.
     */
    public Health health() {
        String failed = failure;
        if (failed != null) {
            return Health.down().withDetail("warmUp", state == State.RUNNING ? "failed, still running" : "failed")
                    .withDetail("reason", failed).build();
        }
        return Health.up().withDetail("warmUp", switch (state) {
            case NOT_STARTED -> "not started";
            case RUNNING -> "running";
            case DONE -> "done in " + tookMillis + " ms";
            case STOPPED -> "stopped";
        }).build();
    }

    private void runSteps() {
        long start = System.nanoTime();
        for (Map.Entry<String, Step> step : steps.entrySet()) {
            if (stopping) {
                state = State.STOPPED;
                return;
            }
            try {
                step.getValue().run();
            } catch (Exception | LinkageError e) {
                if (stopping) {
                    // the context is closing and the fonts with it: not a fault of the documents
                    LOG.info("Customer document warm-up stopped at {}: {}", step.getKey(), e.toString());
                    state = State.STOPPED;
                    return;
                }
                String reason = step.getKey() + ": " + reason(e);
                failure = failure == null ? reason : failure + "; " + reason;
                LOG.error("Customer document warm-up failed at {}: such documents cannot be rendered", step.getKey(), e);
                // the other steps still run: the health shows every broken template at once
            }
        }
        tookMillis = (System.nanoTime() - start) / 1_000_000;
        state = State.DONE;
        if (failure == null) {
            LOG.info("Customer documents warmed up in the background in {} ms", tookMillis);
        }
    }

    /** The messages of the cause chain: the template error is usually the innermost. */
    private static String reason(Throwable e) {
        StringBuilder out = new StringBuilder(e.toString());
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && c != e && depth < 5; c = c.getCause(), depth++) {
            out.append(" <- ").append(c);
        }
        // FreeMarker appends its whole FTL stack: enough of it for the health endpoint, the log has the rest
        return out.length() <= 1000 ? out.toString() : out.substring(0, 1000) + " …";
    }
}
