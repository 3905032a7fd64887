package io.domainoperator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File operations below a temp root, for laying out a fake sysfs: directories, attributes, relative links. */
public final class TempTree {
    private final Path root;

    public TempTree(Path root) {
        this.root = root;
    }

    public void mkdirs(String rel) {
        try {
            Files.createDirectories(root.resolve(rel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An attribute as the kernel shows it: content plus a newline (nothing for write-only attributes). */
    public void file(String rel, String content) {
        try {
            Files.createDirectories(root.resolve(rel).getParent());
            Files.writeString(root.resolve(rel), content.isEmpty() ? "" : content + (content.endsWith("\n") ? "" : "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void link(String rel, String target) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
            Files.createSymbolicLink(p, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a link, a file, or a directory tree (without following links out of it). */
    public void delete(String rel) {
        Path p = root.resolve(rel);
        try {
            if (Files.isSymbolicLink(p) || !Files.isDirectory(p)) {
                Files.deleteIfExists(p);
                return;
            }
            try (Stream<Path> walk = Files.walk(p)) {
                for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
