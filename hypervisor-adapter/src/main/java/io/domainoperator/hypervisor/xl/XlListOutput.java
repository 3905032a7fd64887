package io.domainoperator.hypervisor.xl;

import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.MemorySize;
import io.domainoperator.hypervisor.ShutdownReason;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code xl list -v} and {@code xl info} print (Xen 4.17, tools/xl/xl_list.c and xl_info.c).
 *
 * <p>Why {@code xl list -v} and not {@code xl list -l}: the JSON of {@code -l} is each domain's <em>configuration</em>
 * (c_info, b_info, devices) with no run state and no CPU time, so a poll would need a second command. One
 * {@code xl list -v} line has the domid, name, current memory, online vCPUs, the state flags, the CPU time (all
 * vCPUs, to 0.1 s), the uuid and the shutdown reason code: everything a poll needs, from one libxl_list_domain
 * snapshot. Its fifth state column is not a "crashed" flag but the shutdown reason letter ({@code -rscwS}); the
 * hex reason code is authoritative.
 */
public final class XlListOutput {
    /** {@code printf("%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f")} then " uuid", " %8x|-" and " %16s" label. */
    private static final Pattern LINE = Pattern.compile(
        "^(?<name>.*?)\\s+(?<id>\\d+)\\s+(?<mem>\\d+)\\s+(?<vcpus>\\d+)\\s+"
            + "(?<state>[r-][b-][p-][s-][-rscwS?][d-])\\s+(?<time>\\d+(?:\\.\\d+)?)"
            + "(?:\\s+(?<uuid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
            + "\\s+(?<reason>-|[0-9a-fA-F]+))?(?:\\s+\\S.*)?$");
    private static final Pattern INFO = Pattern.compile("^(\\S+)\\s*:\\s*(.*)$");

    /** One domain line. cpuTimeNanos is exact to the 0.1 s that xl prints. */
    public record Entry(int domainId, String name, UUID uuid, long memoryBytes, int vcpus, DomainState state, long cpuTimeNanos) {
    }

    private XlListOutput() {
    }

    /**
     * @throws IllegalArgumentException naming the line that does not look like {@code xl list -v} output
     */
    public static List<Entry> parseList(String stdout) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = stdout.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            if (line.isBlank() || i == 0 && line.startsWith("Name")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " of `xl list -v` output is not a domain line: " + line);
            }
            String flags = m.group("state");
            ShutdownReason reason = reason(flags, m.group("reason"));
            boolean shutdown = flags.charAt(3) == 's';
            DomainState state = new DomainState(flags.charAt(0) == 'r', flags.charAt(1) == 'b', flags.charAt(2) == 'p',
                shutdown, shutdown && reason == ShutdownReason.CRASH, flags.charAt(5) == 'd', reason);
            long nanos = new BigDecimal(m.group("time")).movePointRight(9).longValueExact();
            UUID uuid = m.group("uuid") == null ? null : UUID.fromString(m.group("uuid"));
            entries.add(new Entry(Integer.parseInt(m.group("id")), m.group("name"), uuid,
                MemorySize.ofMiB(Long.parseLong(m.group("mem"))).bytes(), Integer.parseInt(m.group("vcpus")), state, nanos));
        }
        return entries;
    }

    /** Xen's SHUTDOWN_* codes: 0 poweroff, 1 reboot, 2 suspend, 3 crash, 4 watchdog, 5 soft reset. */
    private static ShutdownReason reason(String flags, String code) {
        if (flags.charAt(3) != 's') {
            return ShutdownReason.NONE;
        }
        int value = code == null || code.equals("-") ? "-rscwS".indexOf(flags.charAt(4)) : Integer.parseInt(code, 16);
        return switch (value) {
            case 0 -> ShutdownReason.POWEROFF;
            case 1 -> ShutdownReason.REBOOT;
            case 2 -> ShutdownReason.SUSPEND;
            case 3 -> ShutdownReason.CRASH;
            case 4 -> ShutdownReason.WATCHDOG;
            // A soft reset (kexec-style) restarts the guest in place: for lifecycle policy it is a reboot.
            case 5 -> ShutdownReason.REBOOT;
            default -> ShutdownReason.CRASH; // '?' or an unknown code: treat the guest as failed, never as healthy
        };
    }

    /**
     * Reads {@code xl info}'s {@code key : value} lines.
     *
     * @param dom0CpuTimeNanos the host's own CPU time, from Domain-0's {@code xl list} line (xl info has none)
     */
    public static HostInfo parseInfo(String stdout, long dom0CpuTimeNanos) {
        Map<String, String> values = new HashMap<>();
        for (String line : stdout.split("\n")) {
            Matcher m = INFO.matcher(line.strip());
            if (m.matches()) {
                values.putIfAbsent(m.group(1), m.group(2).strip());
            }
        }
        return new HostInfo(number(values, "nr_cpus").intValue(), MemorySize.ofMiB(number(values, "total_memory")).bytes(),
            MemorySize.ofMiB(number(values, "free_memory")).bytes(), dom0CpuTimeNanos);
    }

    private static Long number(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null || !value.matches("\\d+")) {
            throw new IllegalArgumentException("`xl info` printed no number for " + key + (value == null ? "" : " (got '" + value + "')"));
        }
        return Long.parseLong(value);
    }
}
