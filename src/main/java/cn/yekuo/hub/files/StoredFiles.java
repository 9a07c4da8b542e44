package cn.yekuo.hub.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The store of the files the hub keeps and reads back later (customer documents, raw mails, reply attachments,
 * outgoing mail files), by a path relative to the store: {@code yk.files.store=disk} keeps them under
 * {@code yk.data-dir} (one node), {@code database} in the {@code stored_file} table every node of a cluster sees.
 * Callers keep their own SHA-256 checks on what they read back.
 */
public interface StoredFiles {

    /** What was stored: its size and SHA-256 (hex). */
    record Stored(long size, String sha256) {
    }

    /** Writes (or replaces) the file at {@code path}. */
    Stored write(String path, byte[] content);

    /**
     * Keeps a local file at {@code path}, whose size and SHA-256 the caller measured while writing it: the disk store
     * moves it into place; the database store copies it (streamed) and leaves the local file to the caller to delete.
     */
    void keep(String path, Path local, Stored measured);

    /** The bytes kept at {@code path}; {@link java.nio.file.NoSuchFileException} when there are none. */
    byte[] read(String path) throws IOException;

    boolean exists(String path);

    /** Removes the file if it is there. */
    void delete(String path);

    /** Where the file lies on this node's disk, when the store is a disk (a parser may then read it in place). */
    Optional<Path> localPath(String path);

    /**
     * True when writes join the caller's database transaction (a rollback leaves nothing); false when a written file
     * stays after a rollback and the caller has to remove it.
     */
    boolean transactional();
}
