package cn.yekuo.hub.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.config.SqlDialect;

/**
 * The outbox (Guaranteed Delivery): rows written in the transaction of the state change that causes them,
 * delivered after commit by the {@code outbox-relay} route, marked sent only once the receiver accepted them.
 * The commit wakes the channel's relay ({@link OutboxWakeUp}); the relays' polls pick up whatever a wake-up missed.
 *
 * <p>Several hub nodes run the relays side by side: a relay <em>claims</em> rows for {@code yk.outbox.claim-lease} in
 * a short transaction of its own ({@code SELECT … FOR UPDATE SKIP LOCKED}, then {@code claimed_by}/{@code
 * claimed_until}, on the database's clock) and commits. Right before each send the relay renews the claim once half
 * the lease has passed ({@link #prepare}); an entry another node has taken over meanwhile is not sent. The
 * entries a run sent are marked sent together, in one commit when the run ends ({@link #openMarks}, {@link
 * #markRunSent}) or earlier with a renewal: on the embedded H2 every commit writes the changed pages to the file, and
 * one commit per entry was most of the hub's commits. A node that dies leaves its claims to expire (or takes them back when it restarts);
 * another node then sends them again (receivers de-duplicate: {@code _AMQ_DUPL_ID}, Message-ID). A late failure never
 * touches an entry sent or claimed by another node meanwhile. Rows of one {@code group_key} leave in creation order:
 * a row is never claimed while an earlier deliverable row of its group is claimed, or being claimed, by another node.
 */
@Repository("outbox")
public class Outbox {

    public static final String BILLING_STATUS = "billing-status";
    /**
     * A mail (payload: JSON of an OutgoingMail, attachments by reference) composed and sent by the {@code mail-relay}
     * route over SMTP; a failed mail waits for its {@code next_attempt_at}, a dead one for a person.
     */
    public static final String MAIL = "mail";
    /**
     * A request to issue an intake document (payload: JSON of the request), handled after commit by the
     * {@code document-issuer} route.
     */
    public static final String DOCUMENT = "document";
    /** Exchange property holding the entry being delivered. */
    public static final String ENTRY = "ykOutboxEntry";
    /** Exchange property of a relay run: its entries sent and not yet marked sent ({@link SentMarks}). */
    public static final String SENT = "ykOutboxSent";

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() { };
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final String COLUMNS = "id, case_id, channel, message_id, group_key, headers, payload";
    /** An entry still undelivered and not claimed by another node (unclaimed rows: direct calls, single-node tests). */
    private static final String STILL_OURS = " and sent_at is null and (claimed_by is null or claimed_by = ?)";

    /**
     * Thrown by {@link #prepare} when the entry is no longer this node's to send (delivered, given up, or taken over
     * by another node once this node's lease ended): it ends the relay's run, because every later entry of the run
     * was claimed at the same moment, its lease has ended too, and sending it could overtake an earlier entry of its
     * group that the other node now holds.
     */
    public static class ClaimLost extends RuntimeException {
        public ClaimLost(OutboxEntry entry) {
            super("outbox entry " + entry.messageId() + " is no longer this node's to send; the run ends here");
        }
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final OutboxWakeUp wakeUp;
    private final TransactionTemplate claimTx;
    private final Duration lease;
    /**
     * This node's name on its claims: its host and data directory, so a node restarted after a crash takes back its
     * own claims at once (receivers de-duplicate what it sends again) instead of waiting for their lease.
     */
    private final String node;

    @Autowired
    public Outbox(JdbcTemplate jdbc, ObjectMapper json, Clock clock, OutboxWakeUp wakeUp,
                  PlatformTransactionManager transactions, HubProperties hub) {
        this(jdbc, json, clock, wakeUp, transactions, hub == null ? Duration.ofSeconds(60) : hub.outbox().claimLease(),
                nodeName(hub == null ? null : hub.dataDirAbsolute()));
    }

    /** An outbox of a node named {@code node} whose claims last {@code lease}. */
    public Outbox(JdbcTemplate jdbc, ObjectMapper json, Clock clock, OutboxWakeUp wakeUp,
                  PlatformTransactionManager transactions, Duration lease, String node) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.wakeUp = wakeUp;
        this.claimTx = transactions == null ? null : new TransactionTemplate(transactions);
        if (claimTx != null) {
            // the claim commits on its own, whatever transaction the caller is in
            claimTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        }
        this.lease = lease;
        this.node = node;
    }

    private static String nodeName(java.nio.file.Path dataDir) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        String where = dataDir == null ? UUID.randomUUID().toString() : dataDir.toString();
        String digest = java.util.HexFormat.of().formatHex(sha256(where)).substring(0, 12);
        String name = host.length() > 80 ? host.substring(0, 80) : host;
        return name + "/" + digest;
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The name this node writes in {@code claimed_by}. */
    public String node() {
        return node;
    }

    public void add(Long caseId, String channel, String messageId, String groupKey, Map<String, String> headers, String payload) {
        known(channel);
        jdbc.update(INSERT, caseId, channel, messageId, groupKey, write(headers), payload, OffsetDateTime.now(clock),
                awaitsDocuments(channel, payload));
        wakeUp.afterCommit(channel);
    }

    /** Each channel has its relay, which claims that channel only: a row of another channel would never leave. */
    private static void known(String channel) {
        if (!BILLING_STATUS.equals(channel) && !MAIL.equals(channel) && !DOCUMENT.equals(channel)) {
            throw new IllegalArgumentException("no relay delivers outbox channel " + channel);
        }
    }

    /** One row, by {@link #add} or in {@link #addAll}'s batch. */
    private static final String INSERT = """
            insert into outbox (case_id, channel, message_id, group_key, headers, payload, created_at, awaits_documents)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * A mail that attaches a document still to be issued ({@code REQUESTED_DOCUMENT}, a hand-off) is written awaiting
     * its case's documents: the claims skip it by their index until {@link #releaseMailsAwaitingDocuments} or the
     * sweep ({@link #claimPendingMail}) finds the case's earlier requests issued or set aside.
     */
    private static boolean awaitsDocuments(String channel, String payload) {
        return MAIL.equals(channel) && payload != null && payload.contains(REQUESTED_DOCUMENT);
    }

    private static final String REQUESTED_DOCUMENT = "\"REQUESTED_DOCUMENT\"";

    /** A row to add ({@link #addAll}). */
    public record NewEntry(Long caseId, String channel, String messageId, String groupKey, Map<String, String> headers,
                           String payload) {
    }

    /** Several rows in one JDBC batch, created in the order given (a transition's status messages). */
    public void addAll(List<NewEntry> entries) {
        if (entries.size() == 1) {
            NewEntry e = entries.get(0);
            add(e.caseId(), e.channel(), e.messageId(), e.groupKey(), e.headers(), e.payload());
            return;
        }
        if (entries.isEmpty()) {
            return;
        }
        entries.forEach(e -> known(e.channel()));
        OffsetDateTime now = OffsetDateTime.now(clock);
        jdbc.batchUpdate(INSERT, entries.stream().map(e -> new Object[] {e.caseId(), e.channel(), e.messageId(),
                e.groupKey(), write(e.headers()), e.payload(), now, awaitsDocuments(e.channel(), e.payload())}).toList());
        entries.stream().map(NewEntry::channel).distinct().forEach(wakeUp::afterCommit);
    }

    /**
     * The oldest undelivered status messages, in creation order, claimed for this node (see the class): the claim
     * commits before any is sent.
     */
    public List<OutboxEntry> claimPending(int limit) {
        clearLogContext();
        return claim(BILLING_STATUS, "", limit);
    }

    /**
     * A channel's rows a claim may take, sought by {@code ix_outbox_channel_pending} (with {@code sent_at is null}) and
     * read in its order up to the batch: a relay reads its own channel's oldest rows, not every channel's backlog, nor
     * the mails awaiting documents.
     */
    private static String deliverable(String channel) {
        return "channel = '" + channel + "' and awaits_documents = false";
    }

    /** Not given up on, and not waiting for its next attempt (its relay's backoff). */
    private static final String DUE = "dead_at is null and (next_attempt_at is null or next_attempt_at <= ?)";

    /**
     * The oldest unsent mails that are due, claimed for the {@code mail-relay} route (SMTP outages hold up only mail):
     * a mail that failed waits until its {@code next_attempt_at}, a dead one is never claimed again. At most once a
     * second it first releases the mails awaiting documents that are done ({@link #releaseMailsAwaitingDocuments}
     * missed them: their case's last request completed before the mail's transaction committed).
     */
    public List<OutboxEntry> claimPendingMail(int limit) {
        clearLogContext();
        sweepMailsAwaitingDocuments();
        return claim(MAIL, " and " + DUE + AFTER_ITS_DOCUMENTS, limit, OffsetDateTime.now(clock));
    }

    /** The mail's case has a document request older than the mail still to do (neither issued nor set aside). */
    private static final String EARLIER_REQUEST_TO_DO = "exists (select 1 from outbox d where d.case_id = outbox.case_id"
            + " and d.channel = '" + DOCUMENT + "' and d.id < outbox.id and " + stillToDo("d.") + ")";

    /**
     * A mail that attaches a document still to be issued ({@code REQUESTED_DOCUMENT}, a hand-off) waits until the
     * case's earlier document requests are issued or set aside; every other mail goes at once. Checked again at the
     * claim although such a mail is released only then: a request set aside may have been revived since.
     */
    private static final String AFTER_ITS_DOCUMENTS = " and (payload not like '%" + REQUESTED_DOCUMENT + "%'"
            + " or not " + EARLIER_REQUEST_TO_DO + ")";

    /** The release of a case's mails awaiting documents whose earlier requests are all done. */
    private static final String RELEASE = "update outbox set awaits_documents = false where channel = '" + MAIL + "'"
            + " and awaits_documents = true and not " + EARLIER_REQUEST_TO_DO + " and case_id = ? and " + stillToDo("");

    /**
     * Releases the case's mails awaiting documents whose earlier requests are now issued or set aside, in the caller's
     * transaction (the issuer's, that completed one); the mail relay runs after its commit.
     */
    public void releaseMailsAwaitingDocuments(long caseId) {
        // the case's rows by ix_outbox_case_channel: "sent_at is null" would lead H2 to the channel's whole backlog
        if (jdbc.update(RELEASE, caseId) > 0) {
            wakeUp.afterCommit(MAIL);
        }
    }

    /**
     * The order of {@code ix_outbox_channel_pending}: with one channel, one flag and {@code sent_at is null} sought, it
     * is id order, and H2 reads it from the index ("index sorted") instead of reading every match and sorting.
     */
    private static final String IN_INDEX_ORDER = " order by channel, awaits_documents, sent_at, id";

    /** {@code ix_outbox_channel_pending} named after {@code from outbox} on H2 (see {@link SqlDialect#useIndex}). */
    private String byChannel() {
        return dialect().useIndex("ix_outbox_channel_pending");
    }

    /** The database's dialect, learnt on the connection in use (a claim holds one already: never a second). */
    private SqlDialect dialect() {
        SqlDialect known = dialect;
        if (known == null) {
            known = jdbc.execute((ConnectionCallback<SqlDialect>) SqlDialect::of);
            dialect = known;
        }
        return known;
    }

    private volatile SqlDialect dialect;

    /** When the mail relay's claims next sweep every case's mails awaiting documents (System.nanoTime). */
    private final AtomicLong nextSweep = new AtomicLong(System.nanoTime());

    private void sweepMailsAwaitingDocuments() {
        long now = System.nanoTime();
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + Duration.ofSeconds(1).toNanos())) {
            return;
        }
        // the awaiting mails by ix_outbox_channel_pending; each released by its id, in id order as the issuer's release
        // locks them too (no deadlock between the two)
        Runnable sweep = () -> {
            for (Long id : jdbc.queryForList("select id from outbox" + byChannel() + " where channel = '" + MAIL + "'"
                    + " and awaits_documents = true and sent_at is null and not " + EARLIER_REQUEST_TO_DO
                    + IN_INDEX_ORDER, Long.class)) {
                jdbc.update("update outbox set awaits_documents = false where id = ? and awaits_documents = true", id);
            }
        };
        try {
            if (claimTx == null) {
                sweep.run();
            } else {
                claimTx.executeWithoutResult(status -> sweep.run());
            }
        } catch (RuntimeException e) {
            // the claim goes on; the next sweep tries again
            log.warn("Mails awaiting documents not swept this time: {}", e.toString());
        }
    }

    private static final String STILL_TO_DO = stillToDo("");

    /**
     * A case's entry still to do, found through the case's rows: {@code sent_at is null} would lead H2 to
     * ix_outbox_pending (it takes a near-unique column's {@code is null} for one row) and read every case's backlog.
     */
    private static String stillToDo(String alias) {
        return "coalesce(" + alias + "sent_at, " + alias + "dead_at) is null";
    }

    /** Attempts counted so far on a mail. */
    public int attempts(long id) {
        Integer n = jdbc.queryForObject("select attempts from outbox where id = ?", Integer.class, id);
        return n == null ? 0 : n;
    }

    /** One more failed attempt of an entry (a mail, a document request): it waits until {@code next} (its relay's backoff). */
    public boolean retryLater(long id, String error, OffsetDateTime next) {
        // a late failure never touches an entry delivered meanwhile, nor one another node has claimed since
        return jdbc.update("update outbox set attempts = attempts + 1, last_error = ?, next_attempt_at = ? where id = ?"
                + STILL_OURS, cut(error), next, id, node) == 1;
    }

    /** How a relay retries a failing entry: waits of {@code first × 2^(attempts-1)}, at most {@code max}, given up after {@code maxAttempts}. */
    public record Retry(int maxAttempts, Duration first, Duration max) {
        public Duration backoffAfter(int attempts) {
            Duration wait = first;
            for (int i = 1; i < attempts && wait.compareTo(max) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(max) > 0 ? max : wait;
        }
    }

    /**
     * A failed attempt as recorded: the attempts counted, and when the entry is tried again (null: given up, dead);
     * {@code recorded} false when nothing was written: the entry was delivered or taken over by another node meanwhile.
     */
    public record Failure(int attempts, OffsetDateTime retryAt, boolean recorded) {
        public boolean dead() {
            return recorded && retryAt == null;
        }
    }

    /** Counts one failed attempt of an entry: dead when {@code permanent} or out of attempts, else it waits its backoff. */
    public Failure recordFailure(long id, String error, boolean permanent, Retry retry) {
        int attempts = attempts(id) + 1;
        if (permanent || attempts >= retry.maxAttempts()) {
            return new Failure(attempts, null, markDead(id, error));
        }
        OffsetDateTime next = OffsetDateTime.now(clock).plus(retry.backoffAfter(attempts));
        return new Failure(attempts, next, retryLater(id, error, next));
    }

    /** Dead-lettered: never tried again; the reason stays in {@code last_error}. */
    public boolean markDead(long id, String error) {
        return jdbc.update("update outbox set attempts = attempts + 1, last_error = ?, dead_at = ? where id = ?" + STILL_OURS,
                cut(error), OffsetDateTime.now(clock), id, node) == 1;
    }

    /** Entries of a channel given up on: mails ({@code yk_mails_dead}), document requests ({@code yk_documents_failed}). */
    public int deadCount(String channel) {
        Integer n = jdbc.queryForObject("select count(*) from outbox where channel = ? and dead_at is not null", Integer.class, channel);
        return n == null ? 0 : n;
    }

    private static String cut(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    /**
     * The oldest unissued document requests that are due, claimed for the {@code document-issuer} route: a request
     * that failed waits until its {@code next_attempt_at}, one set aside ({@code dead_at}) is never claimed again.
     */
    public List<OutboxEntry> claimPendingDocuments(int limit) {
        clearLogContext();
        return claim(DOCUMENT, " and " + DUE, limit, OffsetDateTime.now(clock));
    }

    /**
     * A run's entries by group (a case), each group in id order and the groups in the order of their first entry: the
     * issuer works on groups in parallel and on each group's entries one after another. An entry without a group is a
     * group of its own.
     */
    public List<List<OutboxEntry>> byGroup(List<OutboxEntry> run) {
        Map<Object, List<OutboxEntry>> groups = new LinkedHashMap<>();
        run.stream().sorted(Comparator.comparingLong(OutboxEntry::id)).forEach(e -> groups
                .computeIfAbsent(e.groupKey() != null ? e.groupKey() : e.id(), k -> new ArrayList<>()).add(e));
        return new ArrayList<>(groups.values());
    }

    /**
     * The last step of a relay run: a full batch, all of it delivered, means more rows may be waiting, so the relay
     * runs again right after this run commits instead of at its next poll. A run with a failure never gets here or
     * leaves rows pending, and waits for the poll: a failing receiver is not retried in a tight loop.
     */
    public void runAgainIfFull(List<OutboxEntry> run, int batchSize) {
        if (run.isEmpty() || run.size() < batchSize) {
            return;
        }
        String ids = placeholders(run.size());
        Integer pending = jdbc.queryForObject("select count(*) from outbox where sent_at is null and dead_at is null and id in (" + ids + ")",
                Integer.class, run.stream().map(OutboxEntry::id).toArray());
        if (pending != null && pending == 0) {
            wakeUp.afterCommit(run.get(0).channel());
        }
    }

    /** Marks the entry delivered (used where no exchange carries it). */
    public void markSent(long id) {
        jdbc.update("update outbox set sent_at = ?, attempts = attempts + 1 where id = ? and sent_at is null",
                OffsetDateTime.now(clock), id);
    }

    /**
     * Locks the entry's row until the transaction ends and tells whether it is still undelivered: a request seen
     * again (a second node, a retry after a crash) that someone already completed answers false.
     */
    public boolean lockPending(long id) {
        List<Object> found = jdbc.query("select sent_at from outbox where id = ? for update", (rs, i) -> rs.getObject(1), id);
        return !found.isEmpty() && found.get(0) == null;
    }

    /** Message ids of the entries of a channel and case whose message id starts with the prefix. */
    public List<String> messageIds(long caseId, String channel, String prefix) {
        return jdbc.queryForList("select message_id from outbox where case_id = ? and channel = ? and message_id like ?",
                String.class, caseId, channel, prefix + "%");
    }

    /**
     * Whether the case has an entry of the channel older than {@code id} still to do (neither delivered nor given up),
     * whether it is due now or waits for its next attempt.
     */
    public boolean earlierPending(long caseId, String channel, long id) {
        Integer n = jdbc.queryForObject("select count(*) from outbox where case_id = ? and channel = ? and id < ?"
                + " and " + STILL_TO_DO, Integer.class, caseId, channel, id);
        return n != null && n > 0;
    }

    /** The newest entry of the case and channel still to do whose message id starts with the prefix. */
    public Optional<OutboxEntry> latestPending(long caseId, String channel, String prefix) {
        return jdbc.query("select " + COLUMNS + " from outbox where case_id = ? and channel = ? and message_id like ?"
                + " and " + STILL_TO_DO + " order by id desc", entryRow, caseId, channel, prefix + "%")
                .stream().findFirst();
    }

    /** The entry with this id, whatever its state. */
    public Optional<OutboxEntry> find(long id) {
        return jdbc.query("select " + COLUMNS + " from outbox where id = ?", entryRow, id).stream().findFirst();
    }

    public boolean exists(String messageId) {
        Integer n = jdbc.queryForObject("select count(*) from outbox where message_id = ?", Integer.class, messageId);
        return n != null && n > 0;
    }

    /** Adds the entry unless one with this message id exists (a re-processed cause adds nothing twice). */
    public boolean addIfAbsent(Long caseId, String channel, String messageId, String groupKey, Map<String, String> headers,
                               String payload) {
        Integer n = jdbc.queryForObject("select count(*) from outbox where message_id = ?", Integer.class, messageId);
        if (n != null && n > 0) {
            return false;
        }
        add(caseId, channel, messageId, groupKey, headers, payload);
        return true;
    }

    /**
     * Claims up to {@code limit} of the channel's oldest deliverable rows that also meet {@code extra} (columns no index
     * serves, with its {@code parameters}).
     */
    private List<OutboxEntry> claim(String channel, String extra, int limit, Object... parameters) {
        String condition = deliverable(channel) + extra;
        // taken before the claim's transaction begins, so before the database's clock starts the lease (prepare)
        long claimedAt = System.nanoTime();
        List<OutboxEntry> run = claimTx.execute(status -> {
            // rows no other node holds a live claim on; rows another node is claiming right now are skipped, not waited
            // for. Leases are read and written on the database's clock: the nodes' clocks may differ
            List<Object> args = new ArrayList<>(List.of(parameters));
            args.addAll(List.of(node, limit));
            List<OutboxEntry> candidates = dialect() == SqlDialect.POSTGRESQL
                    ? jdbc.query("select " + COLUMNS + " from outbox where sent_at is null and " + condition + " and "
                            + CLAIMABLE + " order by id fetch first ? rows only for update skip locked", entryRow, args.toArray())
                    : lockOldest(condition, extra, args, parameters);
            List<OutboxEntry> claimed = inGroupOrder(candidates, condition, parameters);
            if (!claimed.isEmpty()) {
                String ids = placeholders(claimed.size());
                List<Object> update = new ArrayList<>(List.of(node));
                claimed.forEach(e -> update.add(e.id()));
                jdbc.update("update outbox set claimed_by = ?, claimed_until = " + leaseEnd() + " where id in (" + ids + ")",
                        update.toArray());
            }
            return claimed;
        });
        return run == null ? List.of() : run.stream().map(e -> e.claimedAt(claimedAt)).toList();
    }

    /**
     * H2: the oldest rows read in the index's order up to the limit (the channel, its flag and sent_at are the same on
     * every row, so this is id order; H2 sorts a "for update" read, which would read the channel's whole backlog), then
     * locked by their ids and checked again: a row delivered, given up, deferred or claimed by another node since is
     * left. PostgreSQL reads the index in order under "for update skip locked" and needs no second step.
     */
    private List<OutboxEntry> lockOldest(String condition, String extra, List<Object> args, Object... parameters) {
        List<Long> oldest = jdbc.queryForList("select id from outbox" + byChannel() + " where sent_at is null and " + condition
                + " and " + CLAIMABLE + IN_INDEX_ORDER + " fetch first ? rows only",
                Long.class, args.toArray());
        if (oldest.isEmpty()) {
            return List.of();
        }
        List<Object> lock = new ArrayList<>(oldest);
        lock.addAll(List.of(parameters));
        lock.add(node);
        // by the primary key: the re-check names no indexed column but the ids
        return jdbc.query("select " + COLUMNS + " from outbox where id in (" + placeholders(oldest.size())
                + ") and " + STILL_TO_DO + extra + " and " + CLAIMABLE + " order by id for update skip locked", entryRow,
                lock.toArray());
    }

    /** No other node holds a live claim on the row (this node's own claims are taken again). */
    private static final String CLAIMABLE = "(claimed_by is null or claimed_by = ? or claimed_until < current_timestamp)";

    /** The end of a lease taken now, on the database's clock (the lease is a whole number of seconds from configuration). */
    private String leaseEnd() {
        // whole seconds, rounded up: a lease of 500 ms is one second, not none
        return "current_timestamp + interval '" + Math.max(0, (lease.toMillis() + 999) / 1000) + "' second";
    }

    /**
     * Renews this node's claim on an entry right before it is sent, in the caller's transaction: false (send nothing)
     * when the entry was delivered, given up, or claimed by another node after this node's lease ended. The relays
     * renew in a commit of their own ({@link #prepare}), holding no lock while they send.
     */
    public boolean renewClaim(long id) {
        return jdbc.update("update outbox set claimed_until = " + leaseEnd()
                + " where id = ? and claimed_by = ? and sent_at is null and dead_at is null", id, node) == 1;
    }

    /**
     * The candidates less every row of a group from the first point where an earlier deliverable row of that group is
     * not among them: that row is claimed by another node, or being claimed (skipped as locked), and goes first.
     */
    private List<OutboxEntry> inGroupOrder(List<OutboxEntry> candidates, String condition, Object... parameters) {
        Set<String> groups = new LinkedHashSet<>();
        candidates.forEach(e -> {
            if (e.groupKey() != null) {
                groups.add(e.groupKey());
            }
        });
        if (groups.isEmpty()) {
            return candidates;
        }
        List<Object> args = new ArrayList<>(List.of(parameters));
        args.addAll(groups);
        candidates.forEach(e -> args.add(e.id()));
        args.add(candidates.get(candidates.size() - 1).id());
        Map<String, Long> blockedFrom = new HashMap<>();
        jdbc.query("select group_key, min(id) from outbox" + byChannel() + " where sent_at is null and " + condition
                        + " and group_key in (" + placeholders(groups.size()) + ")"
                        + " and id not in (" + placeholders(candidates.size()) + ")"
                        + " and id < ? group by group_key",
                rs -> {
                    blockedFrom.put(rs.getString(1), rs.getLong(2));
                }, args.toArray());
        if (blockedFrom.isEmpty()) {
            return candidates;
        }
        return candidates.stream()
                .filter(e -> e.groupKey() == null || !blockedFrom.containsKey(e.groupKey()) || e.id() < blockedFrom.get(e.groupKey()))
                .toList();
    }

    /**
     * Gives back this node's claims on entries of a run that are still unsent (a failed send, a stopped batch), so
     * that any node may take them at its next run instead of after the lease.
     */
    public void release(List<OutboxEntry> run) {
        clearLogContext();
        if (run == null || run.isEmpty()) {
            return;
        }
        String ids = placeholders(run.size());
        List<Object> args = new ArrayList<>(List.of(node));
        run.forEach(e -> args.add(e.id()));
        // by the ids' primary key: with "sent_at is null", H2 reads the whole backlog (it seeks no IN list past it)
        jdbc.update("update outbox set claimed_by = null, claimed_until = null where claimed_by = ? and " + STILL_TO_DO
                + " and id in (" + ids + ")", args.toArray());
    }

    /** A node that stops gives back its claims: another node sends them at once instead of after the lease. */
    @PreDestroy
    public void releaseAll() {
        try {
            int n = jdbc.update("update outbox set claimed_by = null, claimed_until = null where claimed_by = ? and sent_at is null", node);
            if (n > 0) {
                log.info("Released {} outbox claims of this node", n);
            }
        } catch (RuntimeException e) {
            log.warn("Outbox claims of this node not released (they expire after {}): {}", lease, e.toString());
        }
    }

    private final RowMapper<OutboxEntry> entryRow = (rs, i) -> new OutboxEntry(rs.getLong("id"),
            (Long) rs.getObject("case_id", Long.class), rs.getString("channel"), rs.getString("message_id"),
            rs.getString("group_key"), read(rs.getString("headers")), rs.getString("payload"));

    /**
     * Puts the entry's payload and headers on the exchange for its channel's endpoint, renewing the claim first
     * ({@link #renewClaim}, with the run's sent marks so far; {@link ClaimLost} when the entry is no longer this
     * node's) once half of the claim's lease has passed: while more than half is left no other node can have taken the
     * entry over, and each renewal is a commit. The lease began on the database's clock after {@link
     * OutboxEntry#claimedAt}, so this node's clock can only overstate its age. An entry read without a claim is renewed.
     */
    public void prepare(Exchange exchange) {
        OutboxEntry entry = exchange.getMessage().getBody(OutboxEntry.class);
        exchange.setProperty(ENTRY, entry);
        logContext(entry);
        boolean inFirstHalfOfLease = entry.claimedAt() != null && System.nanoTime() - entry.claimedAt() < lease.toNanos() / 2;
        if (!inFirstHalfOfLease && !renewMarking(entry.id(), exchange.getProperty(SENT, SentMarks.class))) {
            throw new ClaimLost(entry);
        }
        exchange.getMessage().setBody(entry.payload());
        exchange.getMessage().getHeaders().clear();
        entry.headers().forEach(exchange.getMessage()::setHeader);
    }

    /**
     * The entry was accepted by its receiver: within a relay run ({@link #openMarks}) it is marked sent with the run's
     * others ({@link #markRunSent}); outside one, at once.
     */
    public void markSent(Exchange exchange) {
        OutboxEntry entry = exchange.getProperty(ENTRY, OutboxEntry.class);
        SentMarks marks = exchange.getProperty(SENT, SentMarks.class);
        if (marks == null) {
            markSent(entry.id());
        } else {
            marks.add(entry.id());
        }
    }

    /**
     * The entries of one relay run that were sent and are not yet marked sent, added by the run's threads. Held by the
     * exchange that the run's split copies share (a property's value is shared, not copied).
     */
    private static final class SentMarks {
        private final List<Long> ids = new ArrayList<>();

        synchronized void add(long id) {
            ids.add(id);
        }

        synchronized List<Long> drain() {
            List<Long> drained = List.copyOf(ids);
            ids.clear();
            return drained;
        }

        synchronized int size() {
            return ids.size();
        }

        /** Marks that did not commit, kept for the run's next mark. */
        synchronized void restore(List<Long> drained) {
            ids.addAll(0, drained);
        }
    }

    /**
     * The relay's step before its split: the entries the run sends are marked sent together ({@link #markRunSent}),
     * and whatever ends the run (a failed send, a lost claim, an outage) marks those sent before it when the exchange
     * completes. A crash before that mark sends the run's entries again: receivers de-duplicate (docs/contract.md §1.10).
     */
    public void openMarks(Exchange exchange) {
        SentMarks marks = new SentMarks();
        exchange.setProperty(SENT, marks);
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    markSent(marks);
                } catch (RuntimeException e) {
                    // they stay claimed by this node: its next run sends them again, and receivers de-duplicate
                    log.warn("{} sent outbox entries not marked sent, sent again by the next run: {}", marks.size(), e.toString());
                }
            }
        });
    }

    /** The relay's step after its split: the run's sent entries marked sent in one commit, before its claims are released. */
    public void markRunSent(Exchange exchange) {
        SentMarks marks = exchange.getProperty(SENT, SentMarks.class);
        if (marks != null) {
            markSent(marks);
        }
    }

    private void markSent(SentMarks marks) {
        if (marks.size() > 0) {
            commitMarks(marks, () -> null);
        }
    }

    /**
     * The run's sent marks so far committed with {@code alsoDone} (in the same transaction); put back for the run's next
     * mark when the commit fails.
     */
    private <T> T commitMarks(SentMarks marks, java.util.function.Supplier<T> alsoDone) {
        List<Long> ids = marks.drain();
        java.util.function.Supplier<T> work = () -> {
            markSent(ids);
            return alsoDone.get();
        };
        try {
            return claimTx == null ? work.get() : claimTx.execute(status -> work.get());
        } catch (RuntimeException e) {
            marks.restore(ids);
            throw e;
        }
    }

    /** {@code ?, ?, …}: n parameters of an IN list. */
    private static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    /** The most ids in one statement's IN list. */
    private static final int IDS_PER_STATEMENT = 500;

    private void markSent(List<Long> ids) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
            List<Long> part = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
            List<Object> args = new ArrayList<>(List.of(now));
            args.addAll(part);
            // by the ids' primary key ("sent_at is null" would lead H2 to the channel's whole backlog); a row marked
            // sent or given up on meanwhile (by another node, after this node's lease ended) stays as it is
            jdbc.update("update outbox set sent_at = ?, attempts = attempts + 1 where id in ("
                    + placeholders(part.size()) + ") and " + STILL_TO_DO, args.toArray());
        }
    }

    /**
     * {@link #renewClaim} in one commit with the run's sent marks so far: the renewal is a commit anyway, and a long run's
     * sent entries are marked before their claims' lease can end.
     */
    private boolean renewMarking(long id, SentMarks marks) {
        if (marks == null || marks.size() == 0) {
            return renewClaim(id);
        }
        return Boolean.TRUE.equals(commitMarks(marks, () -> renewClaim(id)));
    }

    private static final java.util.regex.Pattern CASE_NO = java.util.regex.Pattern.compile("YK-\\d{4}-\\d{6}");

    /**
     * The relay's log lines about an entry name its case and application (docs/operations.md): a status message carries
     * both as properties, a case's mails and documents are grouped by case number. Cleared when a run starts and ends.
     */
    static void logContext(OutboxEntry entry) {
        clearLogContext();
        String caseNo = entry.headers().get("caseNo");
        if (caseNo == null && entry.groupKey() != null && CASE_NO.matcher(entry.groupKey()).matches()) {
            caseNo = entry.groupKey();
        }
        if (caseNo != null) {
            MDC.put("caseNo", caseNo);
        }
        if (entry.headers().get("applicationNo") != null) {
            MDC.put("applicationNo", entry.headers().get("applicationNo"));
        }
    }

    static void clearLogContext() {
        MDC.remove("caseNo");
        MDC.remove("applicationNo");
    }

    public int pendingCount() {
        Integer n = jdbc.queryForObject("select count(*) from outbox where sent_at is null and dead_at is null", Integer.class);
        return n == null ? 0 : n;
    }

    /** A mail or document request given up on, as the operators' dead-letter view lists it. */
    public record DeadEntry(long id, String caseNo, String channel, String messageId, Map<String, String> headers,
                            int attempts, String lastError, OffsetDateTime createdAt, OffsetDateTime deadAt) {
    }

    /** Mails and document requests given up on, the latest first. */
    public List<DeadEntry> dead(int limit) {
        return dead("", ps -> ps.setMaxRows(limit));
    }

    public java.util.Optional<DeadEntry> deadEntry(long id) {
        return dead(" and o.id = ?", ps -> ps.setLong(1, id)).stream().findFirst();
    }

    private List<DeadEntry> dead(String where, org.springframework.jdbc.core.PreparedStatementSetter args) {
        return jdbc.query("""
                select o.id, c.case_no, o.channel, o.message_id, o.headers, o.attempts, o.last_error, o.created_at, o.dead_at
                from outbox o left join yk_case c on c.id = o.case_id
                where o.dead_at is not null and o.sent_at is null""" + where + " order by o.dead_at desc, o.id desc",
                args, (rs, i) -> new DeadEntry(rs.getLong("id"), rs.getString("case_no"),
                        rs.getString("channel"), rs.getString("message_id"), read(rs.getString("headers")), rs.getInt("attempts"),
                        rs.getString("last_error"), rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("dead_at", OffsetDateTime.class)));
    }

    /**
     * An entry given up on waits again, with a fresh count of attempts (its last error kept until the next attempt):
     * an operator removed the cause. False when it is not dead (retried already, or unknown).
     */
    public boolean revive(long id) {
        return jdbc.update("""
                update outbox set dead_at = null, attempts = 0, next_attempt_at = null, claimed_by = null, claimed_until = null
                where id = ? and dead_at is not null and sent_at is null""", id) == 1;
    }

    private String write(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Map<String, String> read(String headers) {
        try {
            return headers == null ? Map.of() : json.readValue(headers, HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable outbox headers", e);
        }
    }
}
