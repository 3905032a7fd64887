package io.domainoperator.hypervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files that are either the old or the new version, never half written, and durable once written: a reader (xl,
 * or the agent after a crash or power loss) sees one whole version. Temp file, fsync, rename, fsync of the
 * directory. Every file the operator writes on the node (journals, rendered definitions, the QEMU domain id
 * counter, disk copies, standalone status files) goes through here.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            rename(temp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Puts a file someone else wrote (e.g. {@code cp} into a {@code .partial} beside the target) in place the same
     * way: fsync of its content, atomic rename over the target, fsync of the directory.
     */
    public static void publish(Path written, Path target) {
        try {
            try (FileChannel channel = FileChannel.open(written, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            rename(written, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put " + written + " in place as " + target + " (" + e.getMessage() + ")", e);
        }
    }

    private static void rename(Path temp, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename atomically within " + dir, e);
        }
        syncDirectory(dir);
    }

    /** Makes a rename or delete in dir durable; not every filesystem allows it, where the rename is as good as it gets. */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort, see above
        }
    }
}
