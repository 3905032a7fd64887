package io.domainoperator.controller.journal;

/** The node-local journal could not be read or written. Operations stop rather than act without a record. */
public class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
