package io.domainoperator.e2e.harness.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The project image as {@code .ci/setup.d/70-image.sh} leaves it: an OCI archive in
 * {@code $DOMAIN_OPERATOR_CACHE/image/domain-operator.oci.tar} and its names, one a line, in
 * {@code domain-operator.ref} (first {@code localhost/domain-operator:<content hash>}, then the stable
 * {@code localhost/domain-operator:ci}).
 */
public record ImageArchive(Path file, String reference) {

    public static final String MISSING = "no image archive at %s: run .ci/setup.d/70-image.sh (builds the Dockerfile with"
            + " buildah from local base images, a few minutes once; later runs reuse it while the sources are unchanged)";

    /** The archive, or empty when the setup script has not built one on this machine. */
    public static Optional<ImageArchive> locate() {
        Path dir = cacheDir().resolve("image");
        Path file = dir.resolve("domain-operator.oci.tar");
        Path names = dir.resolve("domain-operator.ref");
        if (!Files.isReadable(file) || !Files.isReadable(names)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(names).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? Optional.empty() : Optional.of(new ImageArchive(file, lines.get(0)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String missingMessage() {
        return MISSING.formatted(cacheDir().resolve("image/domain-operator.oci.tar"));
    }

    /** {@code DOMAIN_OPERATOR_CACHE} (or the system property {@code domainoperator.cache}), as .ci/lib.sh sets it. */
    public static Path cacheDir() {
        String value = System.getProperty("domainoperator.cache", System.getenv("DOMAIN_OPERATOR_CACHE"));
        return value == null || value.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "domain-operator") : Path.of(value);
    }
}
