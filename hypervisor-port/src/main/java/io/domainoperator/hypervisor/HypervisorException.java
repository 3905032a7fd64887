package io.domainoperator.hypervisor;

/** An operation failed. The message names the operation and the domain; the cause carries the command's output. */
public class HypervisorException extends RuntimeException {
    private final String operation;
    private final String domain;

    public HypervisorException(String operation, String domain, String message) {
        this(operation, domain, message, null);
    }

    public HypervisorException(String operation, String domain, String message, Throwable cause) {
        super(operation + " " + domain + ": " + message, cause);
        this.operation = operation;
        this.domain = domain;
    }

    public String operation() {
        return operation;
    }

    public String domain() {
        return domain;
    }
}
