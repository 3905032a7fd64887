package io.domainoperator.testing;

/** DomainConfig manifests as YAML text, for tests that feed files, kubectl or the API server. */
public final class Manifests {
    private Manifests() {
    }

    /**
     * A DomainConfig named {@code name}, displayName {@code name}, with {@code specLines} under {@code spec}
     * (each one line like {@code "vcpus: 1"}, nested lines with their extra indentation).
     */
    public static String domainConfig(String name, String... specLines) {
        StringBuilder yaml = new StringBuilder("""
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata:
              name: %s
            spec:
              displayName: %s
            """.formatted(name, name));
        for (String line : specLines) {
            yaml.append("  ").append(line).append('\n');
        }
        return yaml.toString();
    }
}
