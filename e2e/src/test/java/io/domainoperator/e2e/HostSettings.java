package io.domainoperator.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a kubelet changes on the host and the suite puts back: the sysctls it sets at start
 * ({@code kernel.panic} 1 to 10, {@code kernel.panic_on_oops} 0 to 1, {@code vm.overcommit_memory} 0 to 1, as
 * measured here) and the iptables tables (the suite's DNAT rule, whatever kubelet or CNI add).
 */
final class HostSettings {
    private static final Logger LOG = LoggerFactory.getLogger(HostSettings.class);
    static final List<String> SYSCTLS = List.of("kernel.panic", "kernel.panic_on_oops", "vm.overcommit_memory");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> sysctls;
    private final String iptables;

    private HostSettings(Map<String, String> sysctls, String iptables) {
        this.sysctls = sysctls;
        this.iptables = iptables;
    }

    static HostSettings save() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : SYSCTLS) {
            values.put(key, read(key));
        }
        Kubectl.Result saved = Kubectl.exec(List.of("iptables-save"), Map.of(), null, TIMEOUT);
        if (!saved.succeeded()) {
            throw new IllegalStateException("cannot save the host's iptables: " + saved.describe());
        }
        return new HostSettings(Map.copyOf(values), saved.stdout());
    }

    /** The sysctls now, e.g. to show what kubelet changed. */
    static Map<String, String> current() {
        Map<String, String> values = new LinkedHashMap<>();
        SYSCTLS.forEach(key -> values.put(key, read(key)));
        return values;
    }

    Map<String, String> sysctls() {
        return sysctls;
    }

    void restore() {
        sysctls.forEach((key, value) -> {
            try {
                Files.writeString(procPath(key), value);
            } catch (java.io.IOException e) {
                LOG.warn("cannot restore {}={}: {}", key, value, e.getMessage());
            }
        });
        Kubectl.Result restored = Kubectl.exec(List.of("iptables-restore"), Map.of(), iptables, TIMEOUT);
        if (!restored.succeeded()) {
            LOG.warn("cannot restore the host's iptables: {}", restored.describe());
        }
        LOG.info("host settings restored: {} and iptables", sysctls);
    }

    private static String read(String key) {
        try {
            return Files.readString(procPath(key)).strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read sysctl " + key + ": " + e.getMessage(), e);
        }
    }

    private static Path procPath(String key) {
        return Path.of("/proc/sys", key.replace('.', '/'));
    }
}
