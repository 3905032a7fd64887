package io.domainoperator.e2e.harness;

import java.util.List;

/**
 * Who a request comes from: a user name and its groups, as the authenticator reports them.
 *
 * @param user the authenticated user name, e.g. {@code system:serviceaccount:domain-operator:agent}
 * @param groups the user's groups besides {@code system:authenticated}, which the API server adds
 */
public record Identity(String user, List<String> groups) {

    /** The cluster administrator: in {@code system:masters}, which RBAC lets do everything. */
    public static final Identity ADMIN = new Identity("e2e-admin", List.of("system:masters"));

    public Identity {
        if (user.isBlank() || user.contains(",")) {
            throw new IllegalArgumentException("user must be non-blank and without commas: '" + user + "'");
        }
        groups = List.copyOf(groups);
    }

    /** The identity a pod running as this service account has. */
    public static Identity serviceAccount(String namespace, String name) {
        return new Identity("system:serviceaccount:" + namespace + ":" + name,
                List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace));
    }

    /** Parses {@code namespace/name}, the form {@link KubeApiServer#serviceAccounts()} uses. */
    public static Identity serviceAccount(String namespaceSlashName) {
        String[] parts = namespaceSlashName.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException(
                    "service account must be namespace/name, e.g. domain-operator/agent: '" + namespaceSlashName + "'");
        }
        return serviceAccount(parts[0], parts[1]);
    }

    /** A name usable in file names and kubeconfig entries. */
    public String slug() {
        return user.replaceAll("[^A-Za-z0-9.-]", "-");
    }
}
