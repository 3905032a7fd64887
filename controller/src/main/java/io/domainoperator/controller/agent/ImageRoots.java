package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.Untrusted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The folders a domain may boot from. A disk, kernel or ramdisk source is resolved (symlinks and {@code ..}
 * included) and must be a regular file inside one of them: otherwise any host file could be attached to a
 * guest read-write ({@code /etc/shadow} through a symlink), and a FIFO as kernel would hang every boot attempt.
 */
public final class ImageRoots {
    /** The flag that widens the list, named in every refusal. */
    public static final String FLAG = "--allowed-image-root";
    private final List<Path> roots;

    /** roots: the allowed folders; those that do not exist yet are kept as written. */
    public ImageRoots(List<Path> roots) {
        this.roots = roots.stream().map(ImageRoots::real).distinct().toList();
    }

    public List<Path> roots() {
        return roots;
    }

    /** The first source of spec that may not be used, as "field: why; fix", or empty when all may. */
    public Optional<String> refusal(DomainConfigSpec spec) {
        for (Map.Entry<String, String> e : sources(spec).entrySet()) {
            Optional<String> why = refusal(e.getValue());
            if (why.isPresent()) {
                return Optional.of(e.getKey() + " " + Untrusted.quote(e.getValue()) + " " + why.get());
            }
        }
        return Optional.empty();
    }

    private Optional<String> refusal(String source) {
        Path path = Path.of(source);
        if (!path.isAbsolute()) {
            return Optional.of("is not an absolute path; give the full path of a file under " + roots);
        }
        Path resolved;
        try {
            resolved = path.toRealPath();
        } catch (NoSuchFileException e) {
            // Missing: the disk check reports it when the domain boots; only a path that escapes is refused here.
            return inside(path.normalize()) ? Optional.empty() : Optional.of(outside(path.normalize()));
        } catch (IOException e) {
            return Optional.of("cannot be resolved (" + e.getMessage() + ")");
        }
        if (!inside(resolved)) {
            return Optional.of(outside(resolved));
        }
        if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("is " + kind(resolved) + ", not a regular file; point it at an image file");
        }
        return Optional.empty();
    }

    private boolean inside(Path path) {
        return roots.stream().anyMatch(path::startsWith);
    }

    private String outside(Path resolved) {
        return "resolves to " + Untrusted.quote(resolved.toString()) + ", outside the allowed image roots " + roots
            + "; move the image under one of them or start the agent with " + FLAG + " <folder>";
    }

    private static String kind(Path p) {
        if (Files.isDirectory(p)) {
            return "a directory";
        }
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            int type = ((Integer) mode) & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    private static Map<String, String> sources(DomainConfigSpec spec) {
        Map<String, String> sources = new LinkedHashMap<>();
        if (spec.getKernel() != null) {
            sources.put("spec.kernel", spec.getKernel());
        }
        if (spec.getRamdisk() != null) {
            sources.put("spec.ramdisk", spec.getRamdisk());
        }
        List<io.domainoperator.api.v1alpha1.Disk> disks = new ArrayList<>(spec.getDisks());
        for (int i = 0; i < disks.size(); i++) {
            if (disks.get(i) != null && disks.get(i).getSource() != null) {
                sources.put("spec.disks[" + i + "].source", disks.get(i).getSource());
            }
        }
        return sources;
    }

    private static Path real(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            return absolute;
        }
    }
}
