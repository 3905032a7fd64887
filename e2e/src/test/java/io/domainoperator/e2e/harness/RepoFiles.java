package io.domainoperator.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The repository's files the scenarios apply as users would: crds/, examples/, and this suite's manifests. */
public final class RepoFiles {

    private RepoFiles() {}

    /** The checkout's root: failsafe sets {@code domainoperator.repo.root}; an IDE runs in e2e/. */
    public static Path root() {
        String configured = System.getProperty("domainoperator.repo.root");
        Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("crds"))) {
            throw new IllegalStateException("no crds/ under " + root + "; set -Ddomainoperator.repo.root to the checkout");
        }
        return root;
    }

    /** The committed, generated CRD YAML. */
    public static Path crds() {
        return root().resolve("crds");
    }

    /** The repository's examples/, once the project ships them. */
    public static Optional<Path> examples() {
        Path examples = root().resolve("examples");
        return Files.isDirectory(examples) ? Optional.of(examples) : Optional.empty();
    }

    /** A directory of this module's test resources, e.g. {@code manifests}. */
    public static Path testResources(String dir) {
        URL url = RepoFiles.class.getResource("/" + dir);
        if (url == null) {
            throw new IllegalStateException("test resource directory " + dir + " is not on the classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The YAML files directly in {@code dir}, sorted, as {@code kubectl apply -f dir} takes them. */
    public static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
