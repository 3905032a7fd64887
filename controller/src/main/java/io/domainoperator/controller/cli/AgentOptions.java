package io.domainoperator.controller.cli;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.controller.agent.AgentConfig;
import io.domainoperator.controller.agent.GlobalKnobs;
import io.domainoperator.controller.agent.SimulatorSetup;
import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags shared by {@code agent} and {@code standalone}. */
public final class AgentOptions {
    @Option(names = "--hypervisor", paramLabel = "xl|qemu|sim",
        description = "Hypervisor backend. Default: xl when /proc/xen exists, else qemu when qemu-system-x86_64 is on PATH.")
    String hypervisor;

    @Option(names = "--state-dir", defaultValue = "/var/lib/domain-operator", description = "Journal and runtime state (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--run-dir", defaultValue = "/run/domainmgr", description = "Rendered domain definitions; xl files go to <run-dir>/xen (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Option(names = "--image-root", defaultValue = "/persist/img", description = "Per-domain disk copies (default: ${DEFAULT-VALUE}).")
    Path imageRoot;

    @Option(names = "--allowed-image-root", paramLabel = "DIR", split = ",",
        defaultValue = "/var/lib/domain-operator/images,/persist/img",
        description = "A folder disk, kernel and ramdisk sources may be in, symlinks resolved (repeatable or comma-separated;"
            + " the --image-root copies are always allowed; default: ${DEFAULT-VALUE}).")
    List<Path> allowedImageRoots;

    @Option(names = "--sysfs-root", defaultValue = "/sys", description = "sysfs for device discovery (default: ${DEFAULT-VALUE}).")
    Path sysfsRoot;

    @Option(names = "--dom0-port", paramLabel = "IFNAME", description = "A NIC dom0 manages (repeatable); never passed through.")
    List<String> dom0Ports = new ArrayList<>();

    @Option(names = "--boot-retry", defaultValue = DomainConfigSpec.DEFAULT_BOOT_RETRY_SECONDS + "s", converter = DurationConverter.class,
        description = "timer.boot.retry: wait after a round of failed boots (default: ${DEFAULT-VALUE}).")
    Duration bootRetry;

    @Option(names = "--shutdown-timeout", defaultValue = DomainConfigSpec.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS + "s", converter = DurationConverter.class,
        description = "Default graceful shutdown window before a forced poweroff (default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(names = "--poll-interval", defaultValue = GlobalKnobs.DEFAULT_POLL_INTERVAL, converter = DurationConverter.class,
        description = "How often the hypervisor is listed to notice changes (default: ${DEFAULT-VALUE}).")
    Duration pollInterval;

    @Option(names = "--debug-enable-usb", description = "debug.enable.usb: keep USB controllers in dom0.")
    boolean debugEnableUsb;

    @Option(names = "--metrics-address", defaultValue = "0.0.0.0", description = "Address of /metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
    String metricsHost;

    @Option(names = "--metrics-port", defaultValue = "9464", description = "Port of /metrics, /healthz, /readyz; 0 picks one (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--halt-on-exit", description = "On SIGTERM, halt every domain in reverse dependency order before exiting.")
    boolean haltOnExit;

    @Option(names = "--halt-deadline", defaultValue = "300s", converter = DurationConverter.class,
        description = "Total time the halt on exit may take (default: ${DEFAULT-VALUE}).")
    Duration haltDeadline;

    @Option(names = "--sim-seed", defaultValue = "1", description = "Seed of the simulator backend (default: ${DEFAULT-VALUE}).")
    long simSeed;

    @Option(names = "--sim-latency", paramLabel = "OPERATION=DURATION,...", converter = SimLatencyConverter.class,
        description = "Simulator backend: how long each call takes, e.g. create=800ms,unpause=50ms,list=20ms; operations "
            + SimLatencyConverter.KEYS + "; the ones not named keep their defaults (create=800ms, unpause=50ms,"
            + " pause=50ms, shutdown=30ms, destroy=400ms, list=20ms, host-info=20ms, guest-shutdown=5s); 'none' makes"
            + " every call instant.")
    SimulatorLatencies simLatencies = SimulatorLatencies.realistic();

    @Option(names = "--sim-hang", paramLabel = "CALL:DOMAIN=DURATION", split = ",", converter = SimHangConverter.class,
        description = "Simulator backend: make one call of one domain hang, once (repeatable): shutdown:web=60s (its next"
            + " shutdown request) or list:web=60s (the first list that finds it). For benchmarks of a stuck guest or toolstack.")
    List<SimulatorSetup.Hang> simHangs = new ArrayList<>();

    @Option(names = "--sim-host-memory", paramLabel = "MIB", defaultValue = "" + SimulatorSetup.DEFAULT_HOST_MEMORY_MIB,
        description = "Memory of the simulator backend's host, in MiB; domains that do not fit wait Pending (default: ${DEFAULT-VALUE}).")
    long simHostMemoryMiB;

    @Option(names = "--qemu-user-networking",
        description = "QEMU backend: attach vifs to QEMU's user-mode network instead of their bridges (demos, machines without bridges).")
    boolean qemuUserNetworking;

    @Option(names = "--device-passthrough",
        description = "Run the device plugin: publish this node's PCI/USB adapters and pass them through (pciback for xl,"
            + " vfio-pci for qemu). At start every free NIC not named by --dom0-port moves to the passthrough driver, as EVE does.")
    boolean devicePassthrough;

    @Option(names = "--console-log-max-bytes", defaultValue = "1048576", paramLabel = "BYTES",
        description = "QEMU backend: a domain's serial log (<state-dir>/qemu/<name>/console.log) is rotated past this size,"
            + " keeping one older generation (console.log.1); at least 1024 (default: ${DEFAULT-VALUE}).")
    long consoleLogMaxBytes;

    AgentConfig toConfig(String nodeName, String knobsConfigMap, String leaseNamespace) {
        GlobalKnobs knobs = new GlobalKnobs(bootRetry, shutdownTimeout, pollInterval, debugEnableUsb);
        return new AgentConfig(nodeName, hypervisor, stateDir, runDir, imageRoot, sysfsRoot, dom0Ports, knobs,
            knobsConfigMap, metricsHost, metricsPort, haltOnExit, haltDeadline, leaseNamespace, simSeed, qemuUserNetworking, devicePassthrough,
            allowedImageRoots, new SimulatorSetup(simLatencies, simHangs, simHostMemoryMiB), consoleLogMaxBytes);
    }
}
