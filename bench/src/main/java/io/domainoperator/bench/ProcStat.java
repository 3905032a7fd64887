package io.domainoperator.bench;

/** Reads a process's CPU time from the text of {@code /proc/<pid>/stat} (proc(5)). */
final class ProcStat {
    /** Clock ticks per second: 100 on every Linux the project runs on (getconf CLK_TCK). */
    static final int TICKS_PER_SECOND = 100;

    private ProcStat() {
    }

    /**
     * utime + stime (fields 14 and 15). The command name (field 2) is in parentheses and may hold spaces, so the
     * fields are counted after its closing parenthesis.
     */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14 -> f[11], stime field 15 -> f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
