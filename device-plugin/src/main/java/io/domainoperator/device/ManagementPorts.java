package io.domainoperator.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The NICs the node itself reaches the network through, found on the host rather than trusted to a flag: every
 * interface that carries a default route (IPv4 {@code /proc/net/route}, IPv6 {@code /proc/net/ipv6_route}) and,
 * through sysfs, the ports beneath it (a bridge's ports, a bond's slaves, a VLAN's parent: the {@code lower_*}
 * links and a bridge's {@code brif/} directory of {@code class/net/<if>}). Passing any of them through would
 * cut the node off from its cluster, so they join the declared management ports ({@code --dom0-port}) in
 * {@link HostPolicy}: a forgotten or wrong flag can no longer take the node's own network away.
 */
public final class ManagementPorts {
    private static final int RTF_UP = 0x1;
    private static final String LOOPBACK = "lo";

    private ManagementPorts() {
    }

    /** The default-route interfaces in {@code procNet} ({@code /proc/net} on a node) and the ports beneath them. */
    public static Set<String> detect(Path procNet, Sysfs sysfs) {
        Set<String> routed = new LinkedHashSet<>(defaultRouteInterfaces(read(procNet.resolve("route")),
            read(procNet.resolve("ipv6_route"))));
        return withPortsBeneath(routed, sysfs);
    }

    /**
     * Interfaces with an up default route: IPv4 rows with destination and mask 0; IPv6 rows with destination ::/0.
     * The loopback's "unreachable" IPv6 default is no route out.
     */
    static Set<String> defaultRouteInterfaces(String ipv4Table, String ipv6Table) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : ipv4Table.lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000") && up(f[3]) && !f[0].equals(LOOPBACK)) {
                out.add(f[0]);
            }
        }
        for (String line : ipv6Table.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 10 && f[0].matches("0{32}") && f[1].equals("00") && up(f[8]) && !f[9].equals(LOOPBACK)) {
                out.add(f[9]);
            }
        }
        return out;
    }

    /** {@code interfaces} and, transitively, every port beneath them as sysfs links them. */
    static Set<String> withPortsBeneath(Set<String> interfaces, Sysfs sysfs) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(interfaces);
        while (!todo.isEmpty()) {
            String ifname = todo.pop();
            if (!out.add(ifname)) {
                continue;
            }
            String dir = "class/net/" + ifname;
            for (String entry : sysfs.list(dir)) {
                if (entry.startsWith("lower_")) {
                    todo.add(entry.substring("lower_".length()));
                }
            }
            todo.addAll(sysfs.list(dir + "/brif"));
        }
        return out;
    }

    private static boolean up(String hexFlags) {
        try {
            return (Integer.parseInt(hexFlags, 16) & RTF_UP) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return ""; // no IPv6, or not Linux: nothing routed that way
        } catch (IOException e) {
            throw new SysfsException(file.toString(), "cannot read the routing table (" + e.getMessage()
                + "); name the management NICs with --dom0-port", e);
        }
    }
}
