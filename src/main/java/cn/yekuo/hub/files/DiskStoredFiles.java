package cn.yekuo.hub.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;

/**
 * {@code yk.files.store=disk} (the default): files under {@code yk.data-dir}, written to a temporary file, forced to
 * disk and moved into place atomically, so a reader never sees a short file.
 */
@Component
@ConditionalOnProperty(name = "yk.files.store", havingValue = "disk", matchIfMissing = true)
public class DiskStoredFiles implements StoredFiles {

    private final Path root;

    public DiskStoredFiles(HubProperties hub) {
        this.root = hub.dataDirAbsolute();
        LoggerFactory.getLogger(DiskStoredFiles.class).info(
                "File store: {} (yk.files.store=disk; several hub nodes need yk.files.store=database)", root);
    }

    @Override
    public Stored write(String path, byte[] content) {
        Path file = resolve(path);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".", ".part");
            try {
                // forced to disk before it is moved into place: a full disk fails here (delayed allocation would report
                // it only later), never with a row pointing at a short file
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    out.force(true);
                }
                move(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + file + ": " + e, e);
        }
        return new Stored(content.length, Digests.sha256Hex(content));
    }

    @Override
    public void keep(String path, Path local, Stored measured) {
        Path file = resolve(path);
        try {
            Files.createDirectories(file.getParent());
            move(local, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + file + ": " + e, e);
        }
    }

    @Override
    public byte[] read(String path) throws IOException {
        return Files.readAllBytes(resolve(path));
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(resolve(path));
    }

    @Override
    public void delete(String path) {
        try {
            Files.deleteIfExists(resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Path> localPath(String path) {
        return Optional.of(resolve(path));
    }

    @Override
    public boolean transactional() {
        return false;
    }

    /** The file of a stored path; a path that would leave the data directory is refused. */
    private Path resolve(String path) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("stored path outside the data directory: " + path);
        }
        return file;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
