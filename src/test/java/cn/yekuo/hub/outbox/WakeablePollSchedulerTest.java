package cn.yekuo.hub.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultThreadPoolFactory;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relays' poll scheduler on a real {@code scheduler:} endpoint, as the routes use it. */
class WakeablePollSchedulerTest {

    static final String RELAY = "test-relay";

    final OutboxWakeUp wakeUp = new OutboxWakeUp();
    final AtomicInteger runs = new AtomicInteger();
    final List<ScheduledThreadPoolExecutor> relayThreads = new CopyOnWriteArrayList<>();
    volatile CountDownLatch hold = new CountDownLatch(0);
    DefaultCamelContext camel;

    /** A route polled every {@code delayMillis} (first poll after {@code initialDelayMillis}) that counts its runs. */
    void start(long initialDelayMillis, long delayMillis) throws Exception {
        camel = new DefaultCamelContext();
        // the relay's own thread, kept by the test: what was queued on it has run once a task queued after it has
        camel.getExecutorServiceManager().setThreadPoolFactory(new DefaultThreadPoolFactory() {
            @Override
            public ScheduledExecutorService newScheduledThreadPool(ThreadPoolProfile profile, ThreadFactory threadFactory) {
                ScheduledExecutorService pool = super.newScheduledThreadPool(profile, threadFactory);
                relayThreads.add(pool instanceof SizedScheduledExecutorService sized ? sized.getScheduledThreadPoolExecutor()
                        : (ScheduledThreadPoolExecutor) pool);
                return pool;
            }
        });
        camel.getRegistry().bind("wakeable", new WakeablePollScheduler(wakeUp, RELAY));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("scheduler:relay?scheduler=#wakeable&initialDelay=" + initialDelayMillis + "&delay=" + delayMillis)
                        .routeId("relay")
                        .process(exchange -> {
                            runs.incrementAndGet();
                            hold.await(10, TimeUnit.SECONDS);
                        });
            }
        });
        camel.start();
    }

    /**
     * Waits until every run queued so far on the relay's thread has ended, instead of sleeping: the thread runs its
     * tasks one at a time in the order queued, so a no-op queued now runs after them. A thread shut down (its route
     * stopped) must end: nothing runs on it any more.
     */
    void awaitQueuedRuns() throws Exception {
        for (ScheduledThreadPoolExecutor thread : relayThreads) {
            // routes are stopped by the test's own thread, never while this runs
            if (thread.isShutdown()) {
                assertThat(thread.awaitTermination(10, TimeUnit.SECONDS)).as("a stopped relay's thread ends").isTrue();
            } else {
                thread.submit(() -> { }).get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** How far away the next periodic poll is, if one is scheduled on a live relay thread. */
    OptionalLong nextPollMillis() {
        return relayThreads.stream().filter(thread -> !thread.isShutdown())
                .flatMap(thread -> thread.getQueue().stream())
                .map(task -> (RunnableScheduledFuture<?>) task)
                .filter(task -> task.isPeriodic() && !task.isCancelled())
                .mapToLong(task -> task.getDelay(TimeUnit.MILLISECONDS)).min();
    }

    @AfterEach
    void stop() {
        hold.countDown();
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void a_signal_runs_the_poll_at_once() throws Exception {
        start(60_000, 60_000);
        awaitQueuedRuns();
        assertThat(runs).as("no poll before the first interval").hasValue(0);
        assertThat(nextPollMillis().orElseThrow()).as("the first poll waits its interval").isGreaterThan(50_000);

        long signalled = System.nanoTime();
        wakeUp.signal(RELAY);
        await().atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void signals_during_a_run_queue_one_more_run_not_one_each() throws Exception {
        start(60_000, 60_000);
        hold = new CountDownLatch(1);
        wakeUp.signal(RELAY);
        await().atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 1);

        for (int i = 0; i < 20; i++) {
            wakeUp.signal(RELAY); // commits while the relay is busy
        }
        hold.countDown();
        await().atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 2);
        awaitQueuedRuns(); // one queued run per signal would all have been queued before this
        assertThat(runs).as("the burst coalesced into one run").hasValue(2);

        wakeUp.signal(RELAY);
        await().atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 3);
    }

    @Test
    void without_signals_it_still_polls_every_delay() throws Exception {
        start(0, 100);
        await().atMost(Duration.ofSeconds(3)).until(() -> runs.get() >= 5);
    }

    @Test
    void a_stopped_route_neither_polls_nor_wakes_and_runs_again_when_restarted() throws Exception {
        start(0, 100);
        await().atMost(Duration.ofSeconds(3)).until(() -> runs.get() >= 2);
        camel.getRouteController().stopRoute("relay");
        int stoppedAt = runs.get();
        wakeUp.signal(RELAY);
        awaitQueuedRuns();
        assertThat(runs).as("stopped: no poll, no wake-up").hasValue(stoppedAt);
        assertThat(nextPollMillis()).as("stopped: no poll scheduled").isEmpty();

        // the scheduler is a singleton bean: a restarted route uses it again
        camel.getRouteController().startRoute("relay");
        await().atMost(Duration.ofSeconds(3)).until(() -> runs.get() > stoppedAt + 1);
    }

    @Test
    void a_signal_for_another_relay_does_not_run_it() throws Exception {
        start(60_000, 60_000);
        wakeUp.signal(Outbox.MAIL);
        awaitQueuedRuns();
        assertThat(runs).hasValue(0);
    }
}
