package io.domainoperator.hypervisor.qemu;

/**
 * A QMP exchange failed: QEMU answered with an error (then {@link #errorClass()} is QEMU's class, e.g.
 * {@code GenericError}), did not answer in time, or the connection is gone.
 */
public class QmpException extends RuntimeException {
    private final String errorClass;

    public QmpException(String message, String errorClass, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
    }

    public QmpException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** QEMU's error class when QEMU itself refused the command, else null. */
    public String errorClass() {
        return errorClass;
    }
}
