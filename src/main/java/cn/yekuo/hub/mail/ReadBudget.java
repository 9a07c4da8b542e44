package cn.yekuo.hub.mail;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
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

    /** The work's result, or empty when it ran past the budget (it is interrupted and left behind). */
    <T> Optional<T> run(Callable<T> work) {
        Future<T> future = pool.submit(work);
        try {
            return Optional.ofNullable(future.get(budget.toNanos(), TimeUnit.NANOSECONDS));
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

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
