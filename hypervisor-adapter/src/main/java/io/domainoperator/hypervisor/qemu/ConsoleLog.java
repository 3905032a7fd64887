package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a domain's serial log bounded. QEMU appends to {@code console.log} (opened with O_APPEND) for the
 * domain's whole life and has no rotation of its own, so the backend rotates it on each poll, as logrotate's
 * copytruncate does: once the log passes {@code maxBytes}, its newest {@code maxBytes} go to
 * {@code console.log.1} (replacing the previous generation) and the log is truncated; QEMU's next write lands at
 * the new end, offset 0. On disk a domain's log therefore stays within twice the cap, plus what the guest writes
 * between two polls. Bytes written between the copy and the truncation are lost, as with copytruncate.
 */
final class ConsoleLog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleLog.class);
    /** The default cap of one generation, also the agent's flag default. */
    static final long DEFAULT_MAX_BYTES = 1024 * 1024;

    private final Path log;

    ConsoleLog(Path log) {
        this.log = log;
    }

    static Path previousGeneration(Path log) {
        return log.resolveSibling(log.getFileName() + ".1");
    }

    /** One poll's check of a domain's log: rotated when over the cap; a failure is logged, never thrown. */
    static void keepBounded(String domain, Path log, long maxBytes) {
        try {
            if (new ConsoleLog(log).rotateIfOver(maxBytes)) {
                LOG.debug("domain {}: console log passed {} bytes, rotated", domain, maxBytes);
            }
        } catch (UncheckedIOException e) {
            LOG.warn("domain {}: {}", domain, e.getMessage());
        }
    }

    /** Rotates when the log is over {@code maxBytes}; returns whether it did. A missing log is no error. */
    boolean rotateIfOver(long maxBytes) {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size <= maxBytes) {
                return false;
            }
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
            long from = size - tail.capacity();
            while (tail.hasRemaining()) {
                if (channel.read(tail, from + tail.position()) < 0) {
                    break;
                }
            }
            byte[] kept = new byte[tail.position()];
            tail.flip().get(kept);
            AtomicFiles.write(previousGeneration(log), kept);
            channel.truncate(0);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate " + log + ": " + e.getMessage(), e);
        }
    }

    /** Bytes on disk for this log, both generations. */
    long bytesOnDisk() {
        return size(log) + size(previousGeneration(log));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
