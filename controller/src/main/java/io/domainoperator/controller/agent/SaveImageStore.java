package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.Hypervisor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The agent's save directory ({@code <state-dir>/save}, issue 18): the files guests are saved to. A save writes to
 * {@code <image>.partial} and renames it once the backend reported success, synced, so that a file under an image's
 * own name is always a complete save; its size and SHA-256 go to the journal and are checked before a restore.
 * Nothing here deletes an image but {@link #remove}, which the engine asks for only once the guest runs again.
 */
public final class SaveImageStore {
    private final Path dir;

    public SaveImageStore(Path dir) {
        this.dir = dir;
    }

    /** The save directory under a state directory. */
    public static Path under(Path stateDir) {
        return stateDir.resolve("save");
    }

    /** What a save wrote: for the journal, checked before the restore. */
    public record Written(long sizeBytes, String sha256) {
    }

    public Path path(String image) {
        Path p = dir.resolve(image);
        if (!p.getParent().equals(dir) || image.startsWith(".")) {
            throw new IllegalArgumentException("save image name " + image + " is not a plain file name");
        }
        return p;
    }

    /** Saves the domain to {@code image} (the backend ends it), publishes the file, and measures it. */
    public Written save(Hypervisor hypervisor, String name, String image) {
        Path target = path(image);
        Path partial = dir.resolve(image + ".partial");
        try {
            createDir();
            Files.deleteIfExists(partial); // an earlier save that did not finish; its domain still held the guest
            hypervisor.saveToFile(name, partial.toString());
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Written written = measure(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDir();
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("saving " + name + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Whether a complete save is there: a file under the image's own name exists only once a save finished. */
    public boolean isComplete(String image) {
        return Files.isRegularFile(path(image));
    }

    /** Whether a save that did not finish left a partial file for {@code image}. */
    public boolean hasPartial(String image) {
        return Files.exists(dir.resolve(path(image).getFileName() + ".partial"));
    }

    /** Restores from {@code image} after checking it is there and, when known, its checksum. The image stays. */
    public DomainInfo restore(Hypervisor hypervisor, DomainDefinition definition, String image, String sha256) {
        Path file = path(image);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the save image " + file + " is missing"
                + (Files.exists(dir.resolve(image + ".partial")) ? " (only a partial one from a save that did not finish)" : ""));
        }
        if (sha256 != null) {
            String found = measure(file).sha256();
            if (!found.equals(sha256)) {
                throw new IllegalStateException("the save image " + file + " is corrupt: its SHA-256 is " + found
                    + ", the save recorded " + sha256);
            }
        }
        return hypervisor.restorePaused(definition, file.toString());
    }

    /** The guest runs again from the image: the image (and any partial one) goes. */
    public void remove(String image) {
        try {
            Files.deleteIfExists(path(image));
            Files.deleteIfExists(dir.resolve(image + ".partial"));
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + path(image) + ": " + e.getMessage(), e);
        }
    }

    /** What a save that did not finish wrote: the partial file only, never a complete image. */
    public void removePartial(String image) {
        try {
            Files.deleteIfExists(dir.resolve(path(image).getFileName() + ".partial"));
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + path(image) + ".partial: " + e.getMessage(), e);
        }
    }

    /**
     * The DomainConfig is deleted: the copies set aside for its image ({@code <image>.<anything>}, with their partial
     * and numbered siblings, and a partial one a save left) go. The image itself, and other DomainConfigs' files, are
     * not touched.
     */
    public void removeSetAside(String image) {
        String prefix = path(image).getFileName() + ".";
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                Files.deleteIfExists(f);
            }
            syncDir();
        } catch (IOException e) {
            throw new UncheckedIOException("removing the set-aside copies of " + path(image) + ": " + e.getMessage(), e);
        }
    }

    /** Moves the image (and a partial one) to {@code asideAs}, never over another file; a missing one is fine. */
    public void setAside(String image, String asideAs) {
        try {
            moveAside(path(image), path(asideAs));
            moveAside(dir.resolve(image + ".partial"), dir.resolve(asideAs + ".partial"));
            syncDir();
        } catch (IOException e) {
            throw new UncheckedIOException("setting aside " + path(image) + ": " + e.getMessage(), e);
        }
    }

    private static void moveAside(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        Path target = to;
        for (int n = 1; Files.exists(target); n++) {
            target = to.resolveSibling(to.getFileName() + "." + n);
        }
        Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private void createDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private void syncDir() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static Written measure(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            long size = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                size += n;
            }
            return new Written(size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
