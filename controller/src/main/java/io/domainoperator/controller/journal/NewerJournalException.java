package io.domainoperator.controller.journal;

/**
 * A journal entry written by a newer agent, in a format this agent does not know (an agent rolled back after an
 * upgrade). It is neither read nor overwritten nor moved aside: acting on half of its facts could lose a domain,
 * and rewriting it would drop what the newer agent recorded. The domain waits for an agent that reads it.
 */
public final class NewerJournalException extends JournalException {
    private final int format;
    private final String writtenBy;

    public NewerJournalException(int format, String writtenBy) {
        super("journal format " + format + " (written by agent " + writtenBy + ") is newer than this agent reads ("
            + JournalFile.NEWEST_FORMAT + ")", null);
        this.format = format;
        this.writtenBy = writtenBy;
    }

    public int format() {
        return format;
    }

    public String writtenBy() {
        return writtenBy;
    }
}
