package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One agent per QEMU state directory: an exclusive lock on {@code agent.lock}, held while the backend is open. */
final class StateDirLock {
    private static final Logger LOG = LoggerFactory.getLogger(StateDirLock.class);
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws HypervisorException when another agent holds the directory, or it cannot be used */
    static StateDirLock acquire(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("agent.lock");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired;
            try {
                acquired = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                acquired = null;
            }
            if (acquired == null) {
                channel.close();
                throw new HypervisorException("start", dir.toString(), "another agent uses this state directory;"
                    + " stop it or give this one its own state directory");
            }
            return new StateDirLock(file, channel, acquired);
        } catch (IOException e) {
            throw new HypervisorException("start", dir.toString(), "cannot use the state directory: " + e.getMessage(), e);
        }
    }

    void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("close: cannot release {}: {}", file, e.getMessage());
        }
    }
}
