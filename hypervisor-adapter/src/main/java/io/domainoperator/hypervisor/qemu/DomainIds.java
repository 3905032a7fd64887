package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hands out domain ids like Xen's domid: a new number for every created domain (so a recreated domain shows
 * a changed id, which the reconciler reads as a reboot), never reused, kept in a file across agent restarts.
 * Ids start at 1; Xen's 0 is dom0.
 */
final class DomainIds {
    private final Path file;

    DomainIds(Path file) {
        this.file = file;
    }

    synchronized int next() {
        int id = peek();
        write(id + 1);
        return id;
    }

    /** Makes sure later ids are above one already in use (e.g. when the counter file was lost). */
    synchronized void reserveAbove(int usedId) {
        if (peek() <= usedId) {
            write(usedId + 1);
        }
    }

    private int peek() {
        try {
            return Files.exists(file) ? Math.max(1, Integer.parseInt(Files.readString(file).strip())) : 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the domain id counter " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the domain id counter " + file + " is corrupt ('" + e.getMessage()
                + "'); delete it and restart the agent, it is rebuilt from the running domains", e);
        }
    }

    private void write(int value) {
        try {
            AtomicFiles.write(file, Integer.toString(value));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot write the domain id counter " + file, e.getCause());
        }
    }
}
