package cn.yekuo.hub.replies;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The time budget of reading one mail (yk.mail.read-budget): the work runs on a pool thread and the reply reader
 * waits for it at most that long. Java cannot stop a thread spinning in a parser, only interrupt and abandon it, so
 * the pool is small and bounded: a few runaway readings cannot take the machine, and when all its threads are taken
 * the mail is refused for now (a RejectedExecutionException, an outage: read again at the next poll).
 */
final class ReadBudget implements AutoCloseable {

    private final Duration budget;
    private final ThreadPoolExecutor pool;

    ReadBudget(Duration budget, int threads) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("yk.mail.read-budget must be positive");
        }
        this.budget = budget;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "mail-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    Duration budget() {
        return budget;
    }

    /** The keys of work still running on a pool thread, abandoned or not. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /** The work's result, or empty when it ran past the budget (it is interrupted and left behind). */
    <T> Optional<T> run(Callable<T> work) {
        return run(null, work);
    }

    /** As {@link #run(Callable)}, remembering until the work really ends that {@code key}'s work is running. */
    <T> Optional<T> run(String key, Callable<T> work) {
        if (key != null) {
            running.add(key);
        }
        long started = System.nanoTime();
        long[] finished = new long[1];
        Future<T> future;
        try {
            future = pool.submit(() -> {
                try {
                    T result = work.call();
                    finished[0] = System.nanoTime();
                    return result;
                } finally {
                    if (key != null) {
                        running.remove(key);
                    }
                }
            });
        } catch (RuntimeException e) {
            if (key != null) {
                running.remove(key);
            }
            throw e;
        }
        try {
            T result = future.get(budget.toNanos(), TimeUnit.NANOSECONDS);
            // work that ended past the budget is over it, even when this thread was too slow to notice in time
            return finished[0] - started > budget.toNanos() ? Optional.empty() : Optional.ofNullable(result);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a mail", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** True while work run under {@code key} has not ended, even after it was abandoned: a runaway, not a slow moment. */
    boolean stillRunning(String key) {
        return running.contains(key);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
