package cn.yekuo.hub.mailtransport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.SearchTerm;

import com.icegreen.greenmail.foedus.util.MsgRangeFilter;
import com.icegreen.greenmail.imap.commands.IdRange;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.FolderListener;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;

/**
 * One folder of the embedded mail server kept as a directory (issue 22): every message an immutable file
 * {@code <uid>-<received millis>-<flags>.eml}, written and fsynced before it is acknowledged; a flag change renames the
 * file, a copy or move hard-links it. Only this index (uid, arrival, flags, file name) is on the heap; a message is read
 * from its file when a client asks for it. The IMAP semantics follow GreenMail's in-memory folder, which this replaces:
 * message numbers in UID order, UIDs never reused (the next UID is kept in {@code .folder} before an expunge), RECENT
 * only for the running server. Every change holds the store's one lock: a small branch's mail, not a mail provider.
 */
final class DiskMailFolder implements MailFolder, UIDFolder {

    private static final Flags AVAILABLE_FLAGS = new Flags();
    private static final Flags PERMANENT_FLAGS = new Flags();

    static {
        for (Flags.Flag f : new Flags.Flag[] {Flags.Flag.ANSWERED, Flags.Flag.DELETED, Flags.Flag.DRAFT, Flags.Flag.FLAGGED,
                Flags.Flag.SEEN}) {
            AVAILABLE_FLAGS.add(f);
        }
        PERMANENT_FLAGS.add(AVAILABLE_FLAGS);
        PERMANENT_FLAGS.add(Flags.Flag.USER);
    }

    /** System flags by their Maildir letters, in file-name order. */
    private static final Flags.Flag[] FLAG_OF = {Flags.Flag.DRAFT, Flags.Flag.FLAGGED, Flags.Flag.ANSWERED, Flags.Flag.SEEN,
            Flags.Flag.DELETED};
    private static final char[] LETTER_OF = {'D', 'F', 'R', 'S', 'T'};
    private static final String[] NO_USER_FLAGS = new String[0];

    private final DiskMailStore store;
    private final Object lock;
    volatile DiskMailFolder parent;
    volatile String name;
    final long uidValidity;
    volatile boolean selectable;
    final AtomicLong nextUid;
    final Collection<DiskMailFolder> children = new CopyOnWriteArrayList<>();
    /** By UID ascending, which is message-number order; guarded by the store's lock. */
    private final List<Entry> entries = new ArrayList<>();
    /**
     * The UIDs of {@link #entries}, made on first use after a change: GreenMail's session folder asks for the whole list
     * once per message of a FETCH or STORE (to find its message number), so copying it each time grew with the
     * square of the mailbox (issue 19's CPU breakdown: 27 of 39 s of the mail server). Guarded like {@code entries};
     * callers only read it.
     */
    private long[] uids;
    private final List<FolderListener> listeners = new CopyOnWriteArrayList<>();

    DiskMailFolder(DiskMailStore store, DiskMailFolder parent, String name, long uidValidity, boolean selectable, long nextUid) {
        this.store = store;
        this.lock = store.lock;
        this.parent = parent;
        this.name = name;
        this.uidValidity = uidValidity;
        this.selectable = selectable;
        this.nextUid = new AtomicLong(nextUid);
    }

    /** A message's index entry: all that stays on the heap. */
    static final class Entry {
        final long uid;
        final long received;
        volatile int flags;
        volatile String[] userFlags;
        volatile boolean recent;
        volatile String file;

        Entry(long uid, long received, int flags, String[] userFlags, boolean recent) {
            this.uid = uid;
            this.received = received;
            this.flags = flags;
            this.userFlags = userFlags.length == 0 ? NO_USER_FLAGS : userFlags;
            this.recent = recent;
            this.file = fileName(uid, received, flags, userFlags);
        }

        Flags toFlags() {
            Flags result = new Flags();
            for (int i = 0; i < FLAG_OF.length; i++) {
                if ((flags & (1 << i)) != 0) {
                    result.add(FLAG_OF[i]);
                }
            }
            if (recent) {
                result.add(Flags.Flag.RECENT);
            }
            for (String user : userFlags) {
                result.add(user);
            }
            return result;
        }

        boolean isSet(Flags.Flag flag) {
            if (flag == Flags.Flag.RECENT) {
                return recent;
            }
            for (int i = 0; i < FLAG_OF.length; i++) {
                if (FLAG_OF[i] == flag) {
                    return (flags & (1 << i)) != 0;
                }
            }
            return false;
        }
    }

    static int bits(Flags flags) {
        int bits = 0;
        for (int i = 0; i < FLAG_OF.length; i++) {
            if (flags.contains(FLAG_OF[i])) {
                bits |= 1 << i;
            }
        }
        return bits;
    }

    static String fileName(long uid, long received, int flags, String[] userFlags) {
        StringBuilder name = new StringBuilder().append(uid).append('-').append(received).append('-');
        for (int i = 0; i < LETTER_OF.length; i++) {
            if ((flags & (1 << i)) != 0) {
                name.append(LETTER_OF[i]);
            }
        }
        if (userFlags.length > 0) {
            name.append('+').append(DiskMailStore.encode(String.join(" ", userFlags)));
        }
        return name.append(".eml").toString();
    }

    /** The entry a message file's name describes, or null if the name is not one of ours. */
    static Entry parse(String file) {
        if (!file.endsWith(".eml")) {
            return null;
        }
        String[] parts = file.substring(0, file.length() - 4).split("-", 3);
        if (parts.length != 3) {
            return null;
        }
        try {
            String letters = parts[2];
            String[] user = NO_USER_FLAGS;
            int plus = letters.indexOf('+');
            if (plus >= 0) {
                user = DiskMailStore.decode(letters.substring(plus + 1)).split(" ");
                letters = letters.substring(0, plus);
            }
            int bits = 0;
            for (char c : letters.toCharArray()) {
                int i = new String(LETTER_OF).indexOf(c);
                if (i < 0) {
                    return null;
                }
                bits |= 1 << i;
            }
            Entry entry = new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1]), bits, user, false);
            entry.file = file;
            return entry;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    Path dir() {
        return parent == null ? store.root : parent.dir().resolve(DiskMailStore.encode(name));
    }

    /** Restores the index from the directory at start. */
    void load(List<Entry> found) {
        found.sort((a, b) -> Long.compare(a.uid, b.uid));
        entries.addAll(found);
        uids = null;
        if (!found.isEmpty()) {
            nextUid.accumulateAndGet(found.get(found.size() - 1).uid + 1, Math::max);
        }
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getFullName() {
        return parent == null ? name : parent.getFullName() + '.' + name;
    }

    @Override
    public Flags getAvailableFlags() {
        return AVAILABLE_FLAGS;
    }

    @Override
    public Flags getPermanentFlags() {
        return PERMANENT_FLAGS;
    }

    @Override
    public int getMessageCount() {
        synchronized (lock) {
            return entries.size();
        }
    }

    @Override
    public int getRecentCount(boolean reset) {
        synchronized (lock) {
            int count = 0;
            for (Entry e : entries) {
                if (e.recent) {
                    count++;
                    if (reset) {
                        e.recent = false;
                    }
                }
            }
            return count;
        }
    }

    @Override
    public long getUidValidity() {
        return uidValidity;
    }

    @Override
    public long getUIDValidity() {
        return uidValidity;
    }

    @Override
    public int getFirstUnseen() {
        synchronized (lock) {
            for (int i = 0; i < entries.size(); i++) {
                if (!entries.get(i).isSet(Flags.Flag.SEEN)) {
                    return i + 1;
                }
            }
            return -1;
        }
    }

    @Override
    public int getUnseenCount() {
        synchronized (lock) {
            return (int) entries.stream().filter(e -> !e.isSet(Flags.Flag.SEEN)).count();
        }
    }

    @Override
    public boolean isSelectable() {
        return selectable;
    }

    @Override
    public long getUIDNext() {
        return nextUid.get();
    }

    @Override
    public long appendMessage(MimeMessage message, Flags flags, Date internalDate) {
        Entry entry;
        int msn;
        synchronized (lock) {
            entry = new Entry(nextUid.getAndIncrement(), internalDate.getTime(), bits(flags), flags.getUserFlags(), true);
            try {
                store.writeDurably(dir(), entry.file, out -> writeTo(message, out));
            } catch (IOException e) {
                throw new IllegalStateException("Can not keep message in " + getFullName() + ": " + e, e);
            }
            entries.add(entry);
            uids = null;
            msn = entries.size();
        }
        listeners.forEach(l -> l.added(msn));
        return entry.uid;
    }

    private static void writeTo(MimeMessage message, OutputStream out) throws IOException {
        try {
            message.writeTo(out);
        } catch (jakarta.mail.MessagingException e) {
            throw new IOException(e);
        }
    }

    /** A copy or move: the immutable file hard-linked under a new UID here. */
    private long appendLinked(Path source, Entry from, boolean keepFlags) throws IOException {
        Entry entry;
        int msn;
        synchronized (lock) {
            entry = new Entry(nextUid.getAndIncrement(), from.received, keepFlags ? from.flags : 0,
                    keepFlags ? from.userFlags : new String[0], true);
            store.linkDurably(source, dir(), entry.file);
            entries.add(entry);
            uids = null;
            msn = entries.size();
        }
        listeners.forEach(l -> l.added(msn));
        return entry.uid;
    }

    @Override
    public void deleteAllMessages() {
        synchronized (lock) {
            store.keepNextUid(this);
            for (Entry e : entries) {
                store.deleteQuietly(dir().resolve(e.file));
                store.forget(this, e.uid);
            }
            entries.clear();
            uids = null;
        }
    }

    @Override
    public void expunge() {
        expunge(null);
    }

    @Override
    public void expunge(IdRange[] idRanges) {
        removeWhere(e -> e.isSet(Flags.Flag.DELETED) && (idRanges == null || IdRange.containsUid(idRanges, e.uid)));
    }

    /** Deletes the messages that arrived before the cut-off (the retention of the embedded mailboxes); returns how many. */
    int removeReceivedBefore(long cutoffMillis) {
        return removeWhere(e -> e.received < cutoffMillis);
    }

    private int removeWhere(java.util.function.Predicate<Entry> which) {
        List<Integer> expunged = new ArrayList<>();
        synchronized (lock) {
            if (entries.stream().noneMatch(which)) {
                return 0;
            }
            store.keepNextUid(this);
            for (int i = entries.size() - 1; i >= 0; i--) {
                Entry e = entries.get(i);
                if (which.test(e)) {
                    entries.remove(i);
                    uids = null;
                    store.deleteQuietly(dir().resolve(e.file));
                    store.forget(this, e.uid);
                    expunged.add(i + 1);
                }
            }
            // under the lock: another expunge cannot interleave its numbers with these (listeners never call back)
            for (int msn : expunged) {
                listeners.forEach(l -> l.expunged(msn));
            }
        }
        return expunged.size();
    }

    @Override
    public void addListener(FolderListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(FolderListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void store(MovingMessage mail) {
        store(mail.getMessage());
    }

    @Override
    public void store(MimeMessage mail) {
        appendMessage(mail, new Flags(), new Date());
    }

    @Override
    public StoredMessage getMessage(long uid) {
        Entry entry;
        synchronized (lock) {
            int i = indexOf(uid);
            if (i < 0) {
                return null;
            }
            entry = entries.get(i);
        }
        return read(entry);
    }

    /** The message from its file (or the store's small cache), with the index's flags; null if expunged meanwhile. */
    private StoredMessage read(Entry entry) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return store.read(this, entry);
            } catch (NoSuchFileException renamedOrExpunged) {
                synchronized (lock) {
                    if (indexOf(entry.uid) < 0) {
                        return null;
                    }
                } // a flag change renamed the file while it was being opened: read it under its new name
            } catch (IOException e) {
                throw new IllegalStateException("Can not read message " + entry.uid + " of " + getFullName() + ": " + e, e);
            }
        }
        throw new IllegalStateException("Message " + entry.uid + " of " + getFullName() + " kept changing while read");
    }

    private List<StoredMessage> read(List<Entry> which) {
        List<StoredMessage> result = new ArrayList<>(which.size());
        for (Entry e : which) {
            StoredMessage m = read(e);
            if (m != null) {
                result.add(m);
            }
        }
        return result;
    }

    @Override
    public long[] getMessageUids() {
        synchronized (lock) {
            if (uids == null) {
                uids = entries.stream().mapToLong(e -> e.uid).toArray();
            }
            return uids;
        }
    }

    @Override
    public long[] search(SearchTerm searchTerm) {
        List<Entry> snapshot;
        synchronized (lock) {
            snapshot = new ArrayList<>(entries);
        }
        List<Long> matched = new ArrayList<>();
        for (int i = 0; i < snapshot.size(); i++) {
            Entry e = snapshot.get(i);
            if (searchTerm instanceof FlagTerm flagTerm) { // the unread search of a mail consumer: from the index alone
                if (matches(flagTerm, e)) {
                    matched.add(e.uid);
                }
                continue;
            }
            StoredMessage m = read(e);
            if (m != null) {
                m.updateMessageNumber(i + 1); // a sequence-set search compares message numbers
                if (searchTerm.match(m.getMimeMessage())) {
                    matched.add(e.uid);
                }
            }
        }
        return matched.stream().mapToLong(Long::longValue).toArray();
    }

    private static boolean matches(FlagTerm term, Entry e) {
        Flags wanted = term.getFlags();
        Flags has = e.toFlags();
        for (Flags.Flag f : wanted.getSystemFlags()) {
            if (has.contains(f) != term.getTestSet()) {
                return false;
            }
        }
        for (String f : wanted.getUserFlags()) {
            if (has.contains(f) != term.getTestSet()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long copyMessage(long uid, MailFolder toFolder) throws FolderException {
        synchronized (lock) {
            Entry e = entry(uid);
            try {
                return ((DiskMailFolder) toFolder).appendLinked(dir().resolve(e.file), e, true);
            } catch (IOException ex) {
                throw new FolderException("Can not copy message " + uid + " to " + toFolder.getFullName() + ": " + ex);
            }
        }
    }

    @Override
    public long moveMessage(long uid, MailFolder toFolder) throws FolderException {
        int msn;
        long newUid;
        synchronized (lock) {
            Entry e = entry(uid);
            store.keepNextUid(this); // first: a failing disk then changes nothing here or there
            try { // linked there before it is removed here: a crash in between leaves a copy, never nothing
                newUid = ((DiskMailFolder) toFolder).appendLinked(dir().resolve(e.file), e, true);
            } catch (IOException ex) {
                throw new FolderException("Can not move message " + uid + " to " + toFolder.getFullName() + ": " + ex);
            }
            msn = indexOf(uid) + 1;
            entries.remove(msn - 1);
            uids = null;
            store.deleteQuietly(dir().resolve(e.file));
            store.forget(this, uid);
            listeners.forEach(l -> l.expunged(msn));
        }
        return newUid;
    }

    @Override
    public void setFlags(Flags flags, boolean value, long uid, FolderListener silentListener, boolean addUid)
            throws FolderException {
        changeFlags(uid, silentListener, addUid, e -> {
            int bits = value ? e.flags | bits(flags) : e.flags & ~bits(flags);
            java.util.Set<String> user = new java.util.LinkedHashSet<>(List.of(e.userFlags));
            if (value) {
                user.addAll(List.of(flags.getUserFlags()));
            } else {
                user.removeAll(List.of(flags.getUserFlags()));
            }
            if (flags.contains(Flags.Flag.RECENT)) {
                e.recent = value;
            }
            return new Object[] {bits, user.toArray(String[]::new)};
        });
    }

    @Override
    public void replaceFlags(Flags flags, long uid, FolderListener silentListener, boolean addUid) throws FolderException {
        changeFlags(uid, silentListener, addUid, e -> {
            e.recent = flags.contains(Flags.Flag.RECENT);
            return new Object[] {bits(flags), flags.getUserFlags()};
        });
    }

    private void changeFlags(long uid, FolderListener silentListener, boolean addUid,
            java.util.function.Function<Entry, Object[]> change) throws FolderException {
        int msn;
        Flags now;
        synchronized (lock) {
            Entry e = entry(uid);
            Object[] next = change.apply(e);
            int bits = (Integer) next[0];
            String[] user = (String[]) next[1];
            String file = fileName(e.uid, e.received, bits, user);
            if (!file.equals(e.file)) {
                try {
                    store.rename(dir(), e.file, file);
                } catch (IOException ex) {
                    throw new FolderException("Can not keep the flags of message " + uid + " in " + getFullName() + ": " + ex);
                }
                e.file = file;
            }
            e.flags = bits;
            e.userFlags = user.length == 0 ? NO_USER_FLAGS : user;
            msn = indexOf(uid) + 1;
            now = e.toFlags();
        }
        Long uidNotification = addUid ? uid : null;
        for (FolderListener l : listeners) {
            if (l != silentListener) {
                l.flagsUpdated(msn, now, uidNotification);
            }
        }
    }

    @Override
    public int getMsn(long uid) throws FolderException {
        synchronized (lock) {
            int i = indexOf(uid);
            if (i < 0) {
                throw new FolderException("No such message.");
            }
            return i + 1;
        }
    }

    @Override
    public void signalDeletion() {
        listeners.forEach(FolderListener::mailboxDeleted);
    }

    @Override
    public List<StoredMessage> getMessages(MsgRangeFilter range) {
        List<Entry> which = new ArrayList<>();
        synchronized (lock) {
            for (int i = 0; i < entries.size(); i++) {
                if (range.includes(i + 1)) {
                    which.add(entries.get(i));
                }
            }
        }
        return read(which);
    }

    @Override
    public List<StoredMessage> getMessages() {
        List<Entry> which;
        synchronized (lock) {
            which = new ArrayList<>(entries);
        }
        return read(which);
    }

    @Override
    public List<StoredMessage> getNonDeletedMessages() {
        List<Entry> which;
        synchronized (lock) {
            which = entries.stream().filter(e -> !e.isSet(Flags.Flag.DELETED)).toList();
        }
        return read(which);
    }

    @Override
    public Message getMessageByUID(long uid) {
        StoredMessage m = getMessage(uid);
        return m == null ? null : m.getMimeMessage();
    }

    @Override
    public Message[] getMessagesByUID(long start, long end) {
        List<Entry> which;
        synchronized (lock) {
            which = entries.stream().filter(e -> e.uid >= start && e.uid <= end).toList();
        }
        return read(which).stream().map(StoredMessage::getMimeMessage).toArray(Message[]::new);
    }

    @Override
    public Message[] getMessagesByUID(long[] uids) {
        List<Message> found = new ArrayList<>();
        for (long uid : uids) {
            Message m = getMessageByUID(uid);
            if (m != null) {
                found.add(m);
            }
        }
        return found.toArray(Message[]::new);
    }

    @Override
    public long getUID(Message message) {
        if (message instanceof StoredMessage.UidAwareMimeMessage uidAware) {
            return uidAware.getUid();
        }
        throw new IllegalStateException("No UID for " + message);
    }

    /** Guarded by the store's lock. */
    private int indexOf(long uid) {
        int low = 0;
        int high = entries.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long at = entries.get(mid).uid;
            if (at < uid) {
                low = mid + 1;
            } else if (at > uid) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private Entry entry(long uid) throws FolderException {
        int i = indexOf(uid);
        if (i < 0) {
            throw new FolderException("No such message " + uid + " in " + getFullName());
        }
        return entries.get(i);
    }

    List<Entry> entriesSnapshot() {
        synchronized (lock) {
            return new ArrayList<>(entries);
        }
    }

    @Override
    public String toString() {
        return "DiskMailFolder{" + getFullName() + ", " + dir() + '}';
    }
}
