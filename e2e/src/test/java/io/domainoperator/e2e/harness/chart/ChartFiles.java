package io.domainoperator.e2e.harness.chart;

import java.nio.file.Files;
import java.nio.file.Path;

/** The chart and the files it must agree with, in this checkout. */
public final class ChartFiles {

    /** The release every test renders: name and namespace as the README's install command uses them. */
    public static final String RELEASE = "domain-operator";
    public static final String NAMESPACE = "domain-operator";

    private ChartFiles() {}

    /** The checkout's root: {@code domainoperator.repo.root} when set, else the parent of e2e/ (failsafe's working directory). */
    public static Path root() {
        String configured = System.getProperty("domainoperator.repo.root");
        Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("helm/domain-operator"))) {
            throw new IllegalStateException("no helm/domain-operator under " + root
                    + "; run from e2e/ or set -Ddomainoperator.repo.root to the checkout");
        }
        return root;
    }

    public static Path chart() {
        return root().resolve("helm/domain-operator");
    }

    /** The CRD YAML the crds module generates and commits. */
    public static Path repoCrds() {
        return root().resolve("crds");
    }

    public static Path dashboard() {
        return chart().resolve("dashboards/domain-operator.json");
    }
}
