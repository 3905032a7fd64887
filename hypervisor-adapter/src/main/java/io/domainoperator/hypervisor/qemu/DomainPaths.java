package io.domainoperator.hypervisor.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The runtime directory of one domain, {@code <stateDir>/qemu/<name>/}. It holds only what QEMU and this
 * backend create for the domain, never the guest's disks, so destroy removes it whole.
 */
record DomainPaths(Path dir) {
    /** sun_path is 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    Path pidFile() {
        return dir.resolve("pid");
    }

    /** The serial console's output, appended to by QEMU for the domain's life, kept bounded by {@link ConsoleLog}. */
    Path consoleLog() {
        return dir.resolve("console.log");
    }

    /** The serial console itself: a unix socket QEMU serves, one client at a time. */
    Path consoleSocket() {
        return dir.resolve("console.sock");
    }

    /** The host end of the QEMU guest agent's channel ({@link GuestAgentChannel}), when the domain has one. */
    Path guestAgentSocket() {
        return dir.resolve("qga.sock");
    }

    /** The longest unix socket path of the domain, checked against the kernel's limit before QEMU starts. */
    Path longestSocket() {
        return consoleSocket();
    }

    /** What we launched ({@link DomainRecord}), written before QEMU starts so that a restart can re-attach. */
    Path recordFile() {
        return dir.resolve("domain.json");
    }

    /** The reason of the last SHUTDOWN event, kept across agent restarts (QEMU's run state does not say it). */
    Path shutdownReasonFile() {
        return dir.resolve("shutdown-reason");
    }

    /** The pid QEMU wrote (-pidfile), if the file holds one. */
    Optional<Long> readPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Removes the directory and all it holds (destroy, or the leftovers of an unfinished create). */
    void deleteAll() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
