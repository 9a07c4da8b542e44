package cn.yekuo.hub.outbox;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * The poll scheduler of an outbox relay route ({@code scheduler:} endpoint option {@code scheduler=#bean}): runs the
 * route's poll every {@code delay}, like Camel's default scheduler, and also as soon as {@link OutboxWakeUp} signals
 * the relay (a commit wrote rows for it). Runs never overlap (one thread, and the routes' {@code synchronous=true}, so
 * a run's parallel split keeps that thread until it ends); signals arriving while a run is in
 * progress queue exactly one more run, since that run claims every row committed before it starts.
 *
 * <p>One instance per route: Camel gives it the route's consumer ({@link #onInit}) and poll task, starts it with the
 * route and stops it with the route; it can be started again when the route is restarted.
 */
public class WakeablePollScheduler implements ScheduledPollConsumerScheduler {

    private final OutboxWakeUp wakeUp;
    private final String relay;
    private final Runnable wake = this::wake;
    private final AtomicBoolean wakePending = new AtomicBoolean();

    private CamelContext camelContext;
    private Consumer consumer;
    private Runnable task;
    private long initialDelay = 1000;
    private long delay = 500;
    private TimeUnit timeUnit = TimeUnit.MILLISECONDS;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> periodic;

    public WakeablePollScheduler(OutboxWakeUp wakeUp, String relay) {
        this.wakeUp = wakeUp;
        this.relay = relay;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Takes the route's interval: a custom scheduler is not given the endpoint's delay, its consumer holds it. */
    @Override
    public void onInit(Consumer consumer) {
        this.consumer = consumer;
        if (consumer instanceof ScheduledPollConsumer polling) {
            initialDelay = polling.getInitialDelay();
            delay = polling.getDelay();
            timeUnit = polling.getTimeUnit();
        }
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public synchronized void start() {
        if (executor == null) {
            executor = camelContext.getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(consumer, consumer.getEndpoint().getEndpointUri());
        }
    }

    @Override
    public synchronized void startScheduler() {
        if (periodic == null) {
            periodic = executor.scheduleWithFixedDelay(task, initialDelay, delay, timeUnit);
            wakeUp.listen(relay, wake);
        }
    }

    @Override
    public synchronized boolean isSchedulerStarted() {
        return periodic != null;
    }

    @Override
    public synchronized void unscheduleTask() {
        wakeUp.stopListening(relay, wake);
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
    }

    @Override
    public synchronized void stop() {
        unscheduleTask();
        if (executor != null) {
            // as Camel's default scheduler: the route has already waited for its in-flight run before stopping us
            camelContext.getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        wakePending.set(false);
    }

    @Override
    public void shutdown() {
        stop();
    }

    /** Queues a run unless one is queued already; the queued run starts when the running one (if any) ends. */
    void wake() {
        ScheduledExecutorService runner;
        synchronized (this) {
            if (periodic == null) {
                return;
            }
            runner = executor;
        }
        if (wakePending.compareAndSet(false, true)) {
            try {
                runner.execute(() -> {
                    // cleared before the run, so a commit during this run queues the next one
                    wakePending.set(false);
                    task.run();
                });
            } catch (RejectedExecutionException stopping) {
                wakePending.set(false);
            }
        }
    }

    @Override
    public String toString() {
        return "WakeablePollScheduler[" + relay + "]";
    }
}
