package io.domainoperator.e2e.harness;

/** Installs the project's CRDs the way the README tells users to. */
public final class Crds {

    public static final String DOMAIN_CONFIGS = "customresourcedefinition/domainconfigs.domainoperator.io";
    public static final String PHYSICAL_IO_ADAPTERS = "customresourcedefinition/physicalioadapters.domainoperator.io";
    public static final String DOMAIN_MIGRATIONS = "customresourcedefinition/domainmigrations.domainoperator.io";

    private Crds() {}

    /**
     * {@code kubectl apply -f crds/}, then waits until the API server serves every kind. One class at a time:
     * classes run in parallel, and two first applies racing on one server make one fail with AlreadyExists.
     */
    public static synchronized void install(Kubectl kubectl) {
        kubectl.ok("apply", "-f", RepoFiles.crds().toString());
        kubectl.ok("wait", "--for=condition=Established", "--timeout=60s", DOMAIN_CONFIGS, PHYSICAL_IO_ADAPTERS,
            DOMAIN_MIGRATIONS);
    }
}
