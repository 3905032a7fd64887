package io.domainoperator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where and when the figures were taken, for the head of RESULTS.md: a figure without its machine means little. */
public final class MachineInfo {
    private MachineInfo() {
    }

    /** Name → value, in the order RESULTS.md lists them. */
    public static Map<String, String> describe(Path repoRoot, Path workDir, String command) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("command", "`" + command + "`");
        m.put("git commit", run(repoRoot, "git", "rev-parse", "--short", "HEAD")
            + (run(repoRoot, "git", "status", "--porcelain", "--untracked-files=no").isBlank() ? "" : " (with uncommitted changes)"));
        m.put("cores", Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")");
        m.put("memory", memTotal());
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("JDK", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
            + " (" + System.getProperty("java.home") + ")");
        m.put("state dir", workDir + " on " + fileSystemType(workDir));
        return m;
    }

    /** The file system type {@code stat -f} reports (ext2/ext3, xfs, tmpfs, ...). */
    public static String fileSystemType(Path dir) {
        return run(dir, "stat", "-f", "-c", "%T", dir.toString());
    }

    /** The 1, 5 and 15 minute load averages: other builds share these cores. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return "unknown";
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown model");
        } catch (IOException e) {
            return "unknown model";
        }
    }

    static String run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "unknown (" + String.join(" ", command) + ": " + out + ")";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
