package io.domainoperator.e2e.harness;

/** The API server's {@code --authorization-mode}. */
public enum AuthorizationMode {
    /** Every authenticated request is allowed: scenarios about behaviour, not permissions. */
    ALWAYS_ALLOW("AlwaysAllow"),
    /** Roles and bindings decide, as on a production cluster. */
    RBAC("RBAC");

    private final String flagValue;

    AuthorizationMode(String flagValue) {
        this.flagValue = flagValue;
    }

    public String flagValue() {
        return flagValue;
    }
}
