package cn.yekuo.hub.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The embedded H2 database's store housekeeping, which H2 does not do itself with {@code WRITE_DELAY=0}: H2 compacts
 * its file only on its background writer thread, and {@code WRITE_DELAY=0} (each commit written before it returns,
 * docs/contract.md §1.10) stops that thread (h2database/h2database#442). Every commit writes a chunk, and a chunk
 * keeps its place in the file while any page of it is live, so without this the file grew to about ten times its data
 * (2.6 GB after 1,000 lifecycles of the benchmark, 8 % of its chunks live). Every {@code yk.h2.housekeeping-interval}
 * this does, with H2's own public calls, what H2's background thread would: it rewrites the live pages of sparse old
 * chunks ({@link MVStore#compact}), then moves chunks into the holes so that the file can shrink
 * ({@link RandomAccessStore#compactMoveChunks}, which syncs the file before it overwrites anything). Each step is
 * bounded in bytes: commits wait for H2's store lock while it runs. Done in full when the hub is quiet; under load
 * only a file gone very sparse is compacted, a little at a time: the committing threads write the rewritten pages,
 * which at 4 MB every 5 s cost the 300-lifecycle benchmark about 3 % of its CPU. PostgreSQL has autovacuum.
 */
public final class H2StoreHousekeeping implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(H2StoreHousekeeping.class);

    /** Quiet: at most this many commits per second of the interval since the last run. */
    static final int QUIET_COMMITS_PER_SECOND = 2;
    /** When quiet, rewrite while less than half of the chunks' bytes are live: the file stays within about twice its data. */
    static final int CHUNKS_FILL_RATE = 50;
    /** Under load, rewrite only a file gone this sparse: the committing threads write the rewritten pages (CPU). */
    static final int CHUNKS_FILL_RATE_UNDER_LOAD = 15;
    /** Live bytes rewritten per run when quiet, and under load. */
    static final int REWRITE_BYTES = 16 << 20;
    static final int REWRITE_BYTES_UNDER_LOAD = 1 << 20;
    /** Move chunks into holes while less of the file than this is in use (when quiet). */
    static final int FILE_FILL_RATE = 70;
    /** Bytes moved per run at most. */
    static final long MOVE_BYTES = 8L << 20;

    private final DataSource dataSource;
    private final Duration interval;
    private ScheduledExecutorService runs;
    /** The store's version (one per commit) at the last run; -1 before the first. */
    private long lastVersion = -1;
    /** Found on the first run: the database is not this process's H2 (PostgreSQL), so no run borrows a connection again. */
    private boolean notEmbedded;

    /** @param dataSource null: none in this context, nothing to do */
    public H2StoreHousekeeping(DataSource dataSource, Duration interval) {
        this.dataSource = dataSource;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (runs != null || dataSource == null || interval.isZero() || interval.isNegative()) {
            return;
        }
        runs = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "h2-housekeeping");
            t.setDaemon(true); // never holds the JVM open
            return t;
        });
        runs.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Before the data source closes: the run in progress ends, no other begins. */
    @Override
    public synchronized void stop() {
        if (runs != null) {
            runs.shutdownNow();
            try {
                runs.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runs = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return runs != null;
    }

    /** One run; a failure (the database closing, a full disk) is logged and the next run tries again. */
    void runOnce() {
        if (notEmbedded) {
            return;
        }
        try {
            MVStore store = store();
            notEmbedded = store == null;
            if (store != null && !store.isClosed()) {
                long version = store.getCurrentVersion();
                boolean quiet = lastVersion >= 0
                        && version - lastVersion <= Math.max(1, interval.toSeconds()) * QUIET_COMMITS_PER_SECOND;
                lastVersion = version;
                houseKeep(store, quiet);
            }
        } catch (RuntimeException | SQLException e) {
            LOG.warn("H2 store housekeeping skipped this time: {}", e.toString());
        }
    }

    /** The embedded database's store, or null for another database; the connection goes back to the pool at once. */
    private MVStore store() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)
                    || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return null; // PostgreSQL, or H2 over TCP: not this process's store
            }
            return session.getDatabase().getStore().getMvStore();
        }
    }

    /**
     * What H2's background thread does, by H2's own calls: fully when the hub is quiet (most of a working day: cases
     * move a few times a day), a little under load, where the pages rewritten are written by the committing threads.
     * @return whether anything was rewritten or moved
     */
    static boolean houseKeep(MVStore store, boolean quiet) {
        boolean rewritten = quiet ? store.compact(CHUNKS_FILL_RATE, REWRITE_BYTES)
                : store.compact(CHUNKS_FILL_RATE_UNDER_LOAD, REWRITE_BYTES_UNDER_LOAD);
        if (rewritten && quiet) {
            store.commit(); // writes the rewritten pages now, as CHECKPOINT would: no commit may come for a while
        }
        FileStore<?> file = store.getFileStore();
        boolean moved = false;
        if (quiet && file instanceof RandomAccessStore randomAccess && file.getFillRate() < FILE_FILL_RATE) {
            long before = file.size();
            randomAccess.compactMoveChunks(FILE_FILL_RATE, MOVE_BYTES, store);
            moved = file.size() != before;
        }
        if (rewritten || moved) {
            LOG.debug("H2 store housekept: file {} MB, {} % of its chunks live", file.size() >> 20, file.getChunksFillRate());
        }
        return rewritten || moved;
    }
}
