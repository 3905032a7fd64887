package io.domainoperator.device;

/** A driver move step failed. Carries the device and the step so that conditions can name both. */
final class MoveException extends RuntimeException {
    private final String address;
    private final String step;

    MoveException(String address, String step, String message, Throwable cause) {
        super(address + " " + step + ": " + message, cause);
        this.address = address;
        this.step = step;
    }

    MoveFailure toFailure(boolean rolledBack) {
        return new MoveFailure(address, step, getMessage(), rolledBack);
    }
}
