package io.domainoperator.hypervisor.xl;

/**
 * An xl config file could not be read: the message starts with the line (and column) and says what to change.
 * Checked on purpose: every caller of the parser has to decide what a bad file means for it.
 */
public class XlConfigException extends Exception {
    private final int line;
    private final int column;
    private final String problem;

    /**
     * @param line   1-based line, 0 when the problem is not tied to one line
     * @param column 1-based column, 0 when only the line is known
     */
    public XlConfigException(int line, int column, String problem) {
        super(position(line, column) + problem);
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    private static String position(int line, int column) {
        if (line <= 0) {
            return "";
        }
        return column > 0 ? "line " + line + ", column " + column + ": " : "line " + line + ": ";
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the position. */
    public String problem() {
        return problem;
    }
}
