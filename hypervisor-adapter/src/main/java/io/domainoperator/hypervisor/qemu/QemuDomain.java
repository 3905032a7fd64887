package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.ShutdownReason;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One QEMU process this backend started, attached over QMP: the handle the backend acts through and the
 * source of the domain's observed state. Created on launch or, after an agent restart, from the runtime
 * directory; the QMP connection is re-opened whenever it is found closed while QEMU still runs.
 */
final class QemuDomain implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QemuDomain.class);

    private final DomainRecord record;
    private final DomainPaths paths;
    private final long pid;
    private final ProcFs proc;
    private final Duration qmpTimeout;
    private volatile QmpClient qmp;
    private volatile ShutdownReason shutdownReason;
    private volatile List<Long> vcpuThreads = List.of();
    private volatile long memoryBytes;
    private volatile int onlineVcpus;
    private volatile DomainState lastState = DomainState.PAUSED;
    private volatile long lastCpuNanos;
    private volatile boolean destroying;

    QemuDomain(DomainRecord record, DomainPaths paths, long pid, ProcFs proc, Duration qmpTimeout) {
        this.record = record;
        this.paths = paths;
        this.pid = pid;
        this.proc = proc;
        this.qmpTimeout = qmpTimeout;
        this.shutdownReason = readShutdownReason();
        this.memoryBytes = record.definition().memory().bytes();
        this.onlineVcpus = record.definition().cpuMemory().vcpus();
    }

    String name() {
        return record.name();
    }

    DomainRecord record() {
        return record;
    }

    DomainPaths paths() {
        return paths;
    }

    long pid() {
        return pid;
    }

    /** Whether pid is still the QEMU we launched: alive and started with this domain's QMP socket. */
    boolean processAlive() {
        return isOurQemu(proc, pid, paths);
    }

    static boolean isOurQemu(ProcFs proc, long pid, DomainPaths paths) {
        String socket = paths.qmpSocket().toString();
        return proc.cmdline(pid).stream().anyMatch(arg -> arg.startsWith("unix:" + QemuCommandLine.opt(socket) + ","));
    }

    /**
     * Opens QMP if it is not open and learns the vCPU threads and memory size on it; a connection is only kept
     * once both are known, so vCPU time is never silently read from no threads.
     */
    QmpClient connected() {
        QmpClient client = qmp;
        if (client != null && client.isOpen()) {
            return client;
        }
        synchronized (this) {
            if (qmp == null || !qmp.isOpen()) {
                QmpClient fresh = QmpClient.connect(name(), paths.qmpSocket(), qmpTimeout, this::onEvent);
                try {
                    learnVcpusAndMemory(fresh);
                } catch (RuntimeException e) {
                    fresh.close();
                    throw e;
                }
                qmp = fresh;
            }
            return qmp;
        }
    }

    private void learnVcpusAndMemory(QmpClient client) {
        List<Long> threads = new ArrayList<>();
        JsonNode cpus = client.execute("query-cpus-fast");
        onlineVcpus = cpus.size();
        for (JsonNode cpu : cpus) {
            long tid = cpu.path("thread-id").asLong(-1);
            // Single-threaded TCG runs every vCPU on one thread: count it once.
            if (tid > 0 && !threads.contains(tid)) {
                threads.add(tid);
            }
        }
        vcpuThreads = List.copyOf(threads);
        JsonNode memory = client.execute("query-memory-size-summary");
        memoryBytes = memory.path("base-memory").asLong(memoryBytes) + memory.path("plugged-memory").asLong(0);
        if (QemuLiveResize.hasBalloon(record.definition().cpuMemory())) {
            // With a balloon the guest's memory is what the balloon leaves it, not the RAM QEMU was started with.
            memoryBytes = client.execute("query-balloon").path("actual").asLong(memoryBytes);
        }
    }

    /** Inflates the balloon to memoryMiB before the first unpause; the domain reports that size from now on. */
    void setInitialBalloon() {
        QemuLiveResize.setInitialTarget(connected(), record.definition().cpuMemory());
        memoryBytes = record.definition().memory().bytes();
    }

    /** Live resize (see {@link QemuLiveResize}); what it reports next is the new size and QEMU's CPU count. */
    void resize(int vcpus, int memoryMiB) {
        QmpClient client = connected();
        QemuLiveResize.resize(client, record.definition().cpuMemory(), vcpus, memoryMiB);
        onlineVcpus = client.execute("query-cpus-fast").size();
        if (QemuLiveResize.hasBalloon(record.definition().cpuMemory())) {
            memoryBytes = memoryMiB * 1024L * 1024L;
        }
    }

    JsonNode execute(String command) {
        return connected().execute(command, Map.of());
    }

    JsonNode execute(String command, Map<String, ?> arguments) {
        return connected().execute(command, arguments);
    }

    /** The domain as of now; never throws, a QEMU that does not answer is reported with its last known state. */
    DomainInfo observe() {
        DomainState state;
        if (destroying) {
            state = DomainState.DYING;
        } else if (!processAlive()) {
            // QEMU ended without destroy (killed, crashed): the domain shell is gone with it. Reported as a
            // crash so that the reconciler's onCrash policy applies; destroy cleans the directory up.
            state = DomainState.CRASHED;
        } else {
            try {
                String status = execute("query-status").path("status").asText();
                if ("shutdown".equals(status) && shutdownReason == ShutdownReason.NONE) {
                    // The SHUTDOWN event was missed (no agent ran): QEMU's own event log, if it keeps one, says why.
                    QemuEventLog.lastStop(paths).ifPresent(r -> recordShutdown(r, "QEMU's event log"));
                }
                state = QemuStates.toDomainState(status, shutdownReason);
            } catch (RuntimeException e) {
                LOG.warn("domain {}: observe: query-status failed, reporting the last known state {}: {}", name(),
                    lastState, e.getMessage());
                state = lastState;
            }
            lastCpuNanos = Math.max(lastCpuNanos, proc.threadsCpuNanos(pid, vcpuThreads));
        }
        lastState = state;
        return new DomainInfo(record.domainId(), name(), record.definition().uuid(), state, lastCpuNanos,
            onlineVcpus, memoryBytes, record.definition().maxMemory().bytes(), true);
    }

    void markDestroying() {
        destroying = true;
    }

    private void onEvent(QmpEvent event) {
        switch (event.name()) {
            case "SHUTDOWN" -> {
                String cause = event.data().path("reason").asText("");
                recordShutdown(QemuStates.fromShutdownCause(cause), "SHUTDOWN event, guest="
                    + event.data().path("guest").asBoolean() + ", reason=" + cause);
            }
            case "GUEST_PANICKED" -> recordShutdown(ShutdownReason.CRASH, "GUEST_PANICKED event");
            case "POWERDOWN", "RESET", "STOP", "RESUME" -> LOG.info("domain {}: event {}", name(), event.name());
            default -> LOG.debug("domain {}: event {} {}", name(), event.name(), event.data());
        }
    }

    private void recordShutdown(ShutdownReason reason, String why) {
        if (destroying) {
            return;
        }
        LOG.info("domain {}: guest stopped: {} ({})", name(), reason, why);
        shutdownReason = reason;
        try {
            Files.writeString(paths.shutdownReasonFile(), reason.name());
        } catch (IOException e) {
            LOG.warn("domain {}: cannot keep the shutdown reason in {}: {}", name(), paths.shutdownReasonFile(),
                e.getMessage());
        }
    }

    private ShutdownReason readShutdownReason() {
        try {
            return Optional.of(Files.readString(paths.shutdownReasonFile()).strip())
                .map(ShutdownReason::valueOf).orElse(ShutdownReason.NONE);
        } catch (IOException | IllegalArgumentException e) {
            return ShutdownReason.NONE;
        }
    }

    @Override
    public void close() {
        QmpClient client = qmp;
        if (client != null) {
            client.close();
        }
    }
}
