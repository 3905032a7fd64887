package io.domainoperator.hypervisor.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The few /proc reads the backend needs, under a root that tests replace with a temp tree. */
final class ProcFs {
    /** USER_HZ: the unit of the times in /proc/.../stat, 100 on every Linux architecture we run on. */
    static final long NANOS_PER_TICK = 10_000_000L;

    private final Path root;

    ProcFs(Path root) {
        this.root = root;
    }

    /**
     * Whether the process is stopped by a signal (state T or t of its {@code stat}): a QEMU stopped with SIGSTOP answers
     * no QMP command until continued. False when it does not exist.
     */
    boolean stopped(long pid) {
        try {
            String line = Files.readString(root.resolve(Long.toString(pid)).resolve("stat"));
            int end = line.lastIndexOf(')');
            return end > 0 && line.length() > end + 2 && (line.charAt(end + 2) == 'T' || line.charAt(end + 2) == 't');
        } catch (IOException e) {
            return false;
        }
    }

    /** The process's argv, empty when the process does not exist (or is a zombie). */
    List<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(root.resolve(Long.toString(pid)).resolve("cmdline"));
            if (raw.length == 0) {
                return List.of();
            }
            String all = new String(raw, StandardCharsets.UTF_8);
            if (all.endsWith("\0")) {
                all = all.substring(0, all.length() - 1);
            }
            return List.of(all.split("\0", -1));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * CPU time (user + system) of the given threads of a process, in nanoseconds. Threads that are gone
     * count zero: a vCPU thread only ends with its process.
     */
    long threadsCpuNanos(long pid, Collection<Long> threadIds) {
        long ticks = 0;
        Path tasks = root.resolve(Long.toString(pid)).resolve("task");
        for (long tid : threadIds) {
            ticks += readTicks(tasks.resolve(Long.toString(tid)).resolve("stat")).orElse(0L);
        }
        return ticks * NANOS_PER_TICK;
    }

    private static Optional<Long> readTicks(Path stat) {
        try {
            return Optional.of(cpuTicks(Files.readString(stat)));
        } catch (IOException | RuntimeException e) {
            // The thread ended between listing and reading, or the line is cut short: count nothing now.
            return Optional.empty();
        }
    }

    /**
     * utime + stime (fields 14 and 15) of a {@code stat} line. The command name (field 2) is in parentheses
     * and may itself hold spaces and parentheses ("CPU 0/TCG"), so fields are counted after the last ')'.
     */
    static long cpuTicks(String statLine) {
        int end = statLine.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + statLine);
        }
        String[] fields = statLine.substring(end + 2).trim().split(" +");
        // fields[0] is field 3 (state), so field 14 is fields[11].
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** MemTotal and MemAvailable of /proc/meminfo, in bytes. */
    long[] memory() {
        long total = 0;
        long available = 0;
        try {
            for (String line : Files.readAllLines(root.resolve("meminfo"))) {
                String[] parts = line.split("\\s+");
                if (parts.length >= 2 && parts[0].equals("MemTotal:")) {
                    total = Long.parseLong(parts[1]) * 1024;
                } else if (parts.length >= 2 && parts[0].equals("MemAvailable:")) {
                    available = Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + root.resolve("meminfo") + ": " + e.getMessage(), e);
        }
        return new long[] {total, available};
    }

    /** Busy time of all host CPUs since boot (user, nice, system, irq, softirq, steal of /proc/stat), in ns. */
    long hostBusyNanos() {
        try {
            for (String line : Files.readAllLines(root.resolve("stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long ticks = 0;
                    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                        ticks += i < f.length ? Long.parseLong(f[i]) : 0;
                    }
                    return ticks * NANOS_PER_TICK;
                }
            }
            throw new IllegalStateException(root.resolve("stat") + " has no cpu line");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + root.resolve("stat") + ": " + e.getMessage(), e);
        }
    }
}
