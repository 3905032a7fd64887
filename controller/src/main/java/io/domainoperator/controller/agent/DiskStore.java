package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.controller.crash.CrashPoint;
import io.domainoperator.controller.crash.CrashSwitch;
import io.domainoperator.hypervisor.AtomicFiles;
import io.domainoperator.hypervisor.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Per-domain disk copies under the image root, named as EVE names them ({@code <sha>-<uuid>...}) so that an
 * operator recognises them: {@code <image-root>/<sha256(source)[0:16]>-<uuid>.<ext>}. A copy is
 * made once (to a temporary name, then renamed, so a crash mid-copy never leaves a half image under the final
 * name) and reused on every later boot; only deletion of the DomainConfig removes it. Sources are never
 * touched.
 */
public final class DiskStore {
    private static final Duration COPY_TIMEOUT = Duration.ofHours(2);
    private final Path imageRoot;
    private final CommandRunner commands;

    public DiskStore(Path imageRoot, CommandRunner commands) {
        this.imageRoot = imageRoot;
        this.commands = commands;
    }

    /** The path each disk of spec will be used from (the copy for copyOnStart disks, else the source). */
    public List<String> pathsFor(UUID uuid, DomainConfigSpec spec) {
        return spec.getDisks().stream()
            .map(d -> d.getSource() == null ? "" // an empty CD-ROM drive
                : d.copyOnStartOrDefault() ? copyPath(uuid, d.getSource()).toString() : d.getSource()).toList();
    }

    /** The paths of spec's disks that exist on this node now (a copy not yet made, or a missing source, is left out). */
    public List<String> pathsOnNode(UUID uuid, DomainConfigSpec spec) {
        return new ArrayList<>(pathsFor(uuid, spec).stream().filter(p -> !p.isEmpty() && Files.exists(Path.of(p))).toList());
    }

    /** Checks every source exists and makes the copies that are missing. Existing copies are kept: a guest wrote them. */
    public void prepare(UUID uuid, List<String> sources) {
        for (String s : sources) {
            Path source = Path.of(s);
            Path copy = copyPath(uuid, s);
            if (Files.exists(copy)) {
                continue;
            }
            if (!Files.isReadable(source)) {
                throw new DiskException("disk source " + source + " does not exist or is not readable on this node;"
                    + " put the image there or fix spec.disks[].source");
            }
            copy(source, copy);
        }
    }

    /** Checks that disks used in place exist, so a missing image fails the boot with a clear message. */
    public void checkInPlace(DomainConfigSpec spec) {
        for (int i = 0; i < spec.getDisks().size(); i++) {
            Disk disk = spec.getDisks().get(i);
            if (disk.getSource() != null && !disk.copyOnStartOrDefault() && !Files.isReadable(Path.of(disk.getSource()))) {
                throw new DiskException("spec.disks[" + i + "].source " + disk.getSource()
                    + " does not exist or is not readable on this node");
            }
        }
    }

    /** Removes the per-domain copies made from these sources. Never a source. */
    public List<Path> cleanup(UUID uuid, List<String> sources) {
        List<Path> removed = new ArrayList<>();
        for (String s : sources) {
            Path copy = copyPath(uuid, s);
            try {
                if (Files.deleteIfExists(copy)) {
                    removed.add(copy);
                }
            } catch (IOException e) {
                throw new DiskException("cannot remove disk copy " + copy + ": " + e.getMessage());
            }
        }
        return removed;
    }

    /** {@code <image-root>/<SHA256(source)[0:16]>-<uuid>.<source extension>}, EVE's naming. */
    Path copyPath(UUID uuid, String source) {
        String file = Path.of(source).getFileName().toString();
        int dot = file.lastIndexOf('.');
        String ext = dot > 0 ? file.substring(dot) : ".img";
        return imageRoot.resolve(sha16(source) + "-" + uuid + ext);
    }

    private void copy(Path source, Path copy) {
        try {
            Files.createDirectories(imageRoot);
            Path tmp = copy.resolveSibling(copy.getFileName() + ".partial");
            Files.deleteIfExists(tmp);
            try {
                // cp keeps images sparse and uses reflinks where the filesystem has them; a 10 GiB image with 1 GiB
                // of data copies 1 GiB.
                commands.run(List.of("cp", "--sparse=always", "--reflink=auto", source.toString(), tmp.toString()), COPY_TIMEOUT);
                CrashSwitch.reached(CrashPoint.DISK_COPY_UNPUBLISHED);
                // Only a complete copy gets the final name; a failed or killed cp leaves at most the .partial file.
                AtomicFiles.publish(tmp, copy);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + copy, e);
        }
    }

    private static String sha16(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8).toUpperCase(java.util.Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A disk cannot be used; the message names the field and the path. */
    public static final class DiskException extends RuntimeException {
        public DiskException(String message) {
            super(message);
        }
    }
}
