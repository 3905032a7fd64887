package io.domainoperator.controller.journal;

/**
 * The journal could not be written: a read-only or full state directory. No operation is performed without its
 * intent on record, so the pending change waits; the reconcile is retried until a write succeeds.
 */
public final class JournalWriteException extends JournalException {
    public JournalWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
