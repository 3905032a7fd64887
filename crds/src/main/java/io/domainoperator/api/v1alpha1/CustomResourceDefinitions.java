package io.domainoperator.api.v1alpha1;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The committed CRD YAML, as shipped in this jar (the same files as the repository's crds/ directory). */
public final class CustomResourceDefinitions {
    public static final List<String> FILES = List.of(
        "domainconfigs.domainoperator.io-v1.yml", "physicalioadapters.domainoperator.io-v1.yml",
        "domainmigrations.domainoperator.io-v1.yml");

    private CustomResourceDefinitions() {
    }

    /** Opens one of {@link #FILES}. */
    public static InputStream open(String file) {
        InputStream in = CustomResourceDefinitions.class.getResourceAsStream("/META-INF/domainoperator/crds/" + file);
        if (in == null) {
            throw new UncheckedIOException(new IOException("CRD " + file + " is missing from the crds jar"));
        }
        return in;
    }
}
