package cn.yekuo.hub.mailtransport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringTokenizer;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.mail.Flags;
import jakarta.mail.Quota;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;

import com.icegreen.greenmail.imap.ImapConstants;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.Store;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMailUtil;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GreenMail's {@link Store} kept on disk (issue 22): the folder tree as directories under {@code root}, each with a
 * {@code .folder} file (UIDVALIDITY, selectable, next UID, the mailbox's address on a user's root), each message a file
 * (see {@link DiskMailFolder}). GreenMail 2.1.7 has no persistent store of its own and builds its in-memory one in
 * {@code Managers}, so the embedded server plugs this one in there. A file lock keeps a second hub off the same store.
 */
final class DiskMailStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(DiskMailStore.class);
    static final String FOLDER_FILE = ".folder";
    private static final String TMP_PREFIX = ".tmp-";
    /** StoredMessage's constructor is package-private in GreenMail 2.1.7, the only way to hand IMAP a message. */
    private static final Constructor<StoredMessage> STORED_MESSAGE;

    static {
        try {
            STORED_MESSAGE = StoredMessage.class.getDeclaredConstructor(MimeMessage.class, Date.class, long.class);
            STORED_MESSAGE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Object lock = new Object();
    final Path root;
    private final DiskMailFolder rootFolder;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private long lastUidValidity;
    private final MessageCache cache;

    DiskMailStore(Path root, long cacheBytes) {
        this.root = root;
        this.cache = new MessageCache(cacheBytes);
        try {
            Files.createDirectories(root);
            lockChannel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired;
            try {
                acquired = lockChannel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                acquired = null;
            }
            if (acquired == null) {
                lockChannel.close();
                throw new IllegalStateException("The embedded mail store " + root + " is in use by another hub");
            }
            fileLock = acquired;
            rootFolder = new DiskMailFolder(this, null, ImapConstants.USER_NAMESPACE, 0, false, 1);
            loadChildren(rootFolder);
        } catch (IOException e) {
            throw new UncheckedIOException("Can not open the embedded mail store " + root, e);
        }
    }

    void close() {
        try {
            fileLock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.warn("Embedded mail store lock not released: {}", e.toString());
        }
    }

    private void loadChildren(DiskMailFolder folder) throws IOException {
        Path dir = folder.dir();
        List<DiskMailFolder.Entry> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String file = p.getFileName().toString();
                if (file.startsWith(TMP_PREFIX)) { // a write a crash interrupted: never acknowledged
                    Files.deleteIfExists(p);
                } else if (Files.isDirectory(p)) {
                    Properties props = readFolderFile(p);
                    if (props == null) {
                        continue; // not a folder of ours
                    }
                    long uidValidity = Long.parseLong(props.getProperty("uidValidity"));
                    lastUidValidity = Math.max(lastUidValidity, uidValidity);
                    DiskMailFolder child = new DiskMailFolder(this, folder, decode(file), uidValidity,
                            Boolean.parseBoolean(props.getProperty("selectable")),
                            Long.parseLong(props.getProperty("uidNext", "1")));
                    folder.children.add(child);
                    loadChildren(child);
                } else {
                    DiskMailFolder.Entry e = DiskMailFolder.parse(file);
                    if (e != null) {
                        found.add(e);
                    }
                }
            }
        }
        folder.load(found);
    }

    private static Properties readFolderFile(Path dir) throws IOException {
        Path file = dir.resolve(FOLDER_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        return props;
    }

    private void writeFolderFile(DiskMailFolder folder, String address) {
        Properties props = new Properties();
        props.setProperty("uidValidity", String.valueOf(folder.uidValidity));
        props.setProperty("selectable", String.valueOf(folder.selectable));
        props.setProperty("uidNext", String.valueOf(folder.nextUid.get()));
        try {
            Properties old = readFolderFile(folder.dir());
            String kept = address != null ? address : old == null ? null : old.getProperty("address");
            if (kept != null) {
                props.setProperty("address", kept);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            props.store(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8), null);
            writeDurably(folder.dir(), FOLDER_FILE, out -> out.write(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("Can not keep folder " + folder.getFullName(), e);
        }
    }

    /** Before messages leave a folder: its next UID survives a restart even when its highest message is gone. */
    void keepNextUid(DiskMailFolder folder) {
        writeFolderFile(folder, null);
    }

    /** Marks a user's root folder with the mailbox's address, so that the user is created again at the next start. */
    void label(MailFolder userRoot, String address) {
        synchronized (lock) {
            writeFolderFile((DiskMailFolder) userRoot, address);
        }
    }

    /** The addresses of every mailbox this store has kept. */
    List<String> addresses() {
        List<String> result = new ArrayList<>();
        for (DiskMailFolder user : rootFolder.children) {
            try {
                Properties props = readFolderFile(user.dir());
                if (props != null && props.getProperty("address") != null) {
                    result.add(props.getProperty("address"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return result;
    }

    /** The retention of the embedded mailboxes: messages of every folder so named that arrived before the cut-off. */
    int removeReceivedBefore(String folderName, Instant cutoff) {
        int removed = 0;
        for (DiskMailFolder folder : all(rootFolder, new ArrayList<>())) {
            if (folder.selectable && folder.getName().equalsIgnoreCase(folderName)) {
                removed += folder.removeReceivedBefore(cutoff.toEpochMilli());
            }
        }
        return removed;
    }

    private static List<DiskMailFolder> all(DiskMailFolder from, List<DiskMailFolder> into) {
        for (DiskMailFolder child : from.children) {
            into.add(child);
            all(child, into);
        }
        return into;
    }

    // --- files

    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Written to a temporary file, forced to disk, renamed into place, directory forced: all or nothing after a crash. */
    void writeDurably(Path dir, String file, Writer writer) throws IOException {
        Path tmp = dir.resolve(TMP_PREFIX + UUID.randomUUID());
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 65536);
            writer.write(out);
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        move(tmp, dir.resolve(file));
        forceDirectory(dir);
    }

    void linkDurably(Path source, Path dir, String file) throws IOException {
        Path target = dir.resolve(file);
        try {
            Files.createLink(target, source);
        } catch (UnsupportedOperationException | IOException noHardLinks) {
            if (noHardLinks instanceof FileAlreadyExistsException) {
                throw (IOException) noHardLinks;
            }
            writeDurably(dir, file, out -> Files.copy(source, out));
            return;
        }
        forceDirectory(dir);
    }

    /** A flag change: atomic, not forced (a power cut may undo it, a killed hub does not). */
    void rename(Path dir, String from, String to) throws IOException {
        move(dir.resolve(from), dir.resolve(to));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notOnThisPlatform) {
            // Windows cannot open a directory: the rename is as durable as its file system makes it
        }
    }

    void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Embedded mail store: {} not deleted: {}", file, e.toString());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Folder names as directory names: letters, digits and {@code @_+-} as they are, the rest percent-encoded UTF-8. */
    static String encode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = c >= 0x80 || Character.isLetterOrDigit(c) || c == '@' || c == '_' || c == '-';
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        // non-ASCII bytes were appended as chars: turn them back into the UTF-8 string they were
        return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static String decode(String encoded) {
        byte[] bytes = encoded.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // --- messages

    StoredMessage read(DiskMailFolder folder, DiskMailFolder.Entry entry) throws IOException {
        StoredMessage message = cache.get(folder, entry.uid);
        if (message == null) {
            byte[] bytes = Files.readAllBytes(folder.dir().resolve(entry.file));
            try {
                MimeMessage parsed = GreenMailUtil.newMimeMessage(new SharedByteArrayInputStream(bytes));
                message = STORED_MESSAGE.newInstance(parsed, new Date(entry.received), entry.uid);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Can not hand out message " + entry.uid, e);
            }
            cache.put(folder, entry.uid, message, bytes.length);
        }
        Flags now = entry.toFlags();
        // the cached message is shared by every session: MimeMessage's flag methods lock it, so a reader sees old or new
        synchronized (message.getMimeMessage()) {
            message.setFlags(new Flags(message.getFlags()), false);
            message.setFlags(now, true);
        }
        return message;
    }

    void forget(DiskMailFolder folder, long uid) {
        cache.remove(folder, uid);
    }

    /** The few messages a client reads in a row (envelope, then body): bounded in bytes (a larger message alone), so the heap stays flat. */
    private static final class MessageCache {
        private record Key(DiskMailFolder folder, long uid) {
        }

        private record Value(StoredMessage message, long bytes) {
        }

        private final long maxBytes;
        private long bytes;
        private final LinkedHashMap<Key, Value> entries = new LinkedHashMap<>(16, 0.75f, true);

        MessageCache(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        synchronized StoredMessage get(DiskMailFolder folder, long uid) {
            Value v = entries.get(new Key(folder, uid));
            return v == null ? null : v.message();
        }

        synchronized void put(DiskMailFolder folder, long uid, StoredMessage message, long size) {
            long weight = 2 * size; // the parsed copy and GreenMail's own copy of the bytes
            Key key = new Key(folder, uid);
            Value old = entries.put(key, new Value(message, weight));
            bytes += weight - (old == null ? 0 : old.bytes());
            // a message larger than the cache stays alone in it: a client fetches it in chunks, and reading the file
            // again for each chunk made a 10 MB mail take minutes to serve
            var it = entries.entrySet().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                Map.Entry<Key, Value> eldest = it.next();
                if (eldest.getKey().equals(key)) {
                    break;
                }
                bytes -= eldest.getValue().bytes();
                it.remove();
            }
        }

        synchronized void remove(DiskMailFolder folder, long uid) {
            Value old = entries.remove(new Key(folder, uid));
            if (old != null) {
                bytes -= old.bytes();
            }
        }
    }

    // --- Store

    @Override
    public MailFolder getMailbox(String qualifiedMailboxName) {
        StringTokenizer tokens = new StringTokenizer(qualifiedMailboxName, ImapConstants.HIERARCHY_DELIMITER);
        if (!tokens.hasMoreTokens() || !tokens.nextToken().equalsIgnoreCase(ImapConstants.USER_NAMESPACE)) {
            throw new IllegalStateException("Can not extract mail root '" + ImapConstants.USER_NAMESPACE + "' from "
                    + qualifiedMailboxName);
        }
        DiskMailFolder folder = rootFolder;
        while (folder != null && tokens.hasMoreTokens()) {
            folder = child(folder, tokens.nextToken());
        }
        return folder;
    }

    private static DiskMailFolder child(DiskMailFolder parent, String name) {
        for (DiskMailFolder child : parent.children) {
            if (child.getName().equalsIgnoreCase(name)) {
                return child;
            }
        }
        return null;
    }

    @Override
    public MailFolder getMailbox(MailFolder parent, String mailboxName) {
        return child((DiskMailFolder) parent, mailboxName);
    }

    @Override
    public Collection<MailFolder> getChildren(MailFolder parent) {
        return Collections.unmodifiableCollection(((DiskMailFolder) parent).children);
    }

    /** An existing folder is returned as it is: a user created again at start finds the mailbox it had. */
    @Override
    public MailFolder createMailbox(MailFolder parent, String mailboxName, boolean selectable) throws FolderException {
        if (mailboxName.indexOf(ImapConstants.HIERARCHY_DELIMITER_CHAR) != -1) {
            throw new FolderException("Invalid mailbox name " + mailboxName);
        }
        synchronized (lock) {
            DiskMailFolder p = (DiskMailFolder) parent;
            DiskMailFolder existing = child(p, mailboxName);
            if (existing != null) {
                if (selectable && !existing.selectable) {
                    existing.selectable = true;
                    writeFolderFile(existing, null);
                }
                return existing;
            }
            lastUidValidity = Math.max(Instant.now().getEpochSecond(), lastUidValidity + 1); // a new store, a new validity
            DiskMailFolder child = new DiskMailFolder(this, p, mailboxName, lastUidValidity, selectable, 1);
            try {
                Files.createDirectories(child.dir());
                forceDirectory(child.dir().getParent()); // the new mailbox's entry survives a power cut as its mail does
            } catch (IOException e) {
                throw new FolderException("Can not create mailbox " + mailboxName + ": " + e);
            }
            writeFolderFile(child, null);
            p.children.add(child);
            return child;
        }
    }

    @Override
    public MailFolder setSelectable(MailFolder folder, boolean selectable) {
        synchronized (lock) {
            DiskMailFolder f = (DiskMailFolder) folder;
            f.selectable = selectable;
            writeFolderFile(f, null);
            return f;
        }
    }

    @Override
    public void deleteMailbox(MailFolder folder) throws FolderException {
        synchronized (lock) {
            DiskMailFolder f = (DiskMailFolder) folder;
            if (!f.children.isEmpty()) {
                throw new FolderException("Cannot delete mailbox " + f.getName() + " with children.");
            }
            if (f.getMessageCount() != 0) {
                throw new FolderException("Cannot delete non-empty mailbox " + f.getName());
            }
            try {
                deleteTree(f.dir());
            } catch (IOException e) {
                throw new FolderException("Can not delete mailbox " + f.getName() + ": " + e);
            }
            f.parent.children.remove(f);
        }
    }

    @Override
    public void renameMailbox(MailFolder existingFolder, String newName) throws FolderException {
        synchronized (lock) {
            DiskMailFolder folder = (DiskMailFolder) existingFolder;
            int idx = newName.lastIndexOf(ImapConstants.HIERARCHY_DELIMITER_CHAR);
            String newFolderName = idx > 0 ? newName.substring(idx + 1) : newName;
            if (newFolderName.isEmpty() || newFolderName.indexOf(ImapConstants.HIERARCHY_DELIMITER_CHAR) >= 0) {
                throw new FolderException("Invalid mailbox name " + newName); // it could never be selected again
            }
            DiskMailFolder newParent = folder.parent;
            if (idx > 0) { // as GreenMail: the path is relative to the user's root
                DiskMailFolder userRoot = folder;
                while (userRoot.parent != rootFolder) {
                    userRoot = userRoot.parent;
                }
                newParent = userRoot;
                for (String step : newName.substring(0, idx).split("\\" + ImapConstants.HIERARCHY_DELIMITER)) {
                    DiskMailFolder next = child(newParent, step);
                    if (next == null) {
                        throw new FolderException("No such folder " + step + " for " + newName);
                    }
                    newParent = next;
                }
            }
            Path from = folder.dir();
            Path to = newParent.dir().resolve(encode(newFolderName));
            try {
                move(from, to);
            } catch (IOException e) {
                throw new FolderException("Can not rename mailbox " + folder.getName() + " to " + newName + ": " + e);
            }
            folder.parent.children.remove(folder);
            folder.parent = newParent;
            folder.name = newFolderName;
            newParent.children.add(folder);
        }
    }

    @Override
    public Collection<MailFolder> listMailboxes(String searchPattern) throws FolderException {
        int starIndex = searchPattern.indexOf('*');
        int percentIndex = searchPattern.indexOf('%');
        if ((starIndex > -1 && starIndex < searchPattern.length() - 1)
                || (percentIndex > -1 && percentIndex < searchPattern.length() - 1)) {
            throw new FolderException("Wildcard characters <" + searchPattern
                    + "> are only handled as the last character of a list argument");
        }
        List<MailFolder> mailboxes = new ArrayList<>();
        if (starIndex != -1 || percentIndex != -1) {
            int lastDot = searchPattern.lastIndexOf(ImapConstants.HIERARCHY_DELIMITER);
            String parentName = lastDot < 0 ? ImapConstants.USER_NAMESPACE : searchPattern.substring(0, lastDot);
            String matchPattern = searchPattern.substring(lastDot + 1, searchPattern.length() - 1);
            DiskMailFolder parent = (DiskMailFolder) getMailbox(parentName);
            if (parent != null) {
                for (DiskMailFolder child : parent.children) {
                    if (child.getName().startsWith(matchPattern)) {
                        mailboxes.add(child);
                        if (starIndex != -1) {
                            mailboxes.addAll(all(child, new ArrayList<>()));
                        }
                    }
                }
            }
        } else {
            MailFolder folder = getMailbox(searchPattern);
            if (folder != null) {
                mailboxes.add(folder);
            }
        }
        return mailboxes;
    }

    /** No quotas on the embedded server (the hub uses none; RFC 2087 is GreenMail's test feature). */
    @Override
    public Quota[] getQuota(String root, String qualifiedRootPrefix) {
        return new Quota[0];
    }

    @Override
    public void setQuota(Quota quota, String qualifiedRootPrefix) {
        throw new UnsupportedOperationException("no quotas on the embedded mail server");
    }

    @Override
    public void deleteQuota(String qualifiedRootPrefix) {
        // none kept
    }

    @Override
    public boolean isQuotaSupported() {
        return false;
    }

    @Override
    public void setQuotaSupported(boolean supported) {
        // stays off: quotas are not kept
    }
}
