package io.domainoperator.controller.probe;

import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.domainoperator.reconciler.GuestReadiness;
import io.domainoperator.reconciler.GuestReadiness.State;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The probing of one boot of one domain: its spec.readinessProbe and where to look (the serial log, the TCP
 * endpoint), with Kubernetes' counting: a TCP probe is ready after successThreshold passes in a row and not ready
 * after failureThreshold failures in a row; a serial expectation, once seen, holds for the boot (console output
 * is an event, not a state). Used by one thread at a time.
 */
final class ProbeTarget {
    private final int domainId;
    private final ReadinessProbe probe;
    private final Supplier<Optional<Path>> serialLog;
    private final GuestAgentCheck guestAgent;
    private SerialExpectation serial;
    private boolean serialSeen;
    private int successes;
    private int failures;
    private volatile GuestReadiness result;

    ProbeTarget(int domainId, ReadinessProbe probe, Supplier<Optional<Path>> serialLog) {
        this(domainId, probe, serialLog, Optional::empty, "sim");
    }

    /**
     * @param guestAgentSocket the host end of the domain's guest agent channel, if it has one
     * @param backend          the backend's name, for the guest agent probe's message where it has no channel
     */
    ProbeTarget(int domainId, ReadinessProbe probe, Supplier<Optional<Path>> serialLog,
                Supplier<Optional<Path>> guestAgentSocket, String backend) {
        this.domainId = domainId;
        this.probe = probe;
        this.serialLog = serialLog;
        this.guestAgent = probe.getGuestAgent() == null ? null : new GuestAgentCheck(probe, guestAgentSocket, backend);
        this.result = new GuestReadiness(State.NOT_READY, "no probe has run yet", domainId);
    }

    int domainId() {
        return domainId;
    }

    ReadinessProbe probe() {
        return probe;
    }

    GuestReadiness result() {
        return result;
    }

    /** Runs the probe once; returns whether the result's state changed. */
    boolean probeOnce() {
        GuestReadiness before = result;
        String serialVerdict = probeSerial();
        String tcpVerdict = probeTcp();
        String agentVerdict = guestAgent == null ? null : guestAgent.probeOnce();
        boolean serialOk = probe.getSerial() == null || serialSeen;
        boolean tcpOk = probe.getTcp() == null || tcpReady;
        boolean agentOk = guestAgent == null || guestAgent.ready();
        StringBuilder message = new StringBuilder();
        if (serialVerdict != null) {
            message.append(serialVerdict);
        }
        if (tcpVerdict != null) {
            message.append(message.isEmpty() ? "" : "; ").append(tcpVerdict);
        }
        if (agentVerdict != null) {
            message.append(message.isEmpty() ? "" : "; ").append(agentVerdict);
        }
        result = new GuestReadiness(serialOk && tcpOk && agentOk ? State.READY : State.NOT_READY, message.toString(), domainId);
        return before.state() != result.state();
    }

    private String probeSerial() {
        ReadinessProbe.SerialProbe p = probe.getSerial();
        if (p == null) {
            return null;
        }
        if (serialSeen) {
            return "the serial console showed /" + p.getExpect() + "/";
        }
        if (serial == null) {
            Optional<Path> log = serialLog.get();
            if (log.isEmpty()) {
                return "the domain has no serial log to search for /" + p.getExpect() + "/ (spec.serial is none?)";
            }
            serial = new SerialExpectation(log.get(), Pattern.compile(p.getExpect()));
        }
        try {
            serialSeen = serial.seen();
        } catch (IOException e) {
            return "cannot read the serial log: " + e.getMessage();
        }
        return serialSeen ? "the serial console showed /" + p.getExpect() + "/"
            : "waiting for /" + p.getExpect() + "/ on the serial console";
    }

    private boolean tcpReady;

    private String probeTcp() {
        ReadinessProbe.TcpProbe p = probe.getTcp();
        if (p == null) {
            return null;
        }
        String where = p.getHost() + ":" + p.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(p.getHost(), p.getPort()), probe.timeoutOrDefault() * 1000);
            successes++;
            failures = 0;
            if (successes >= probe.successThresholdOrDefault()) {
                tcpReady = true;
            }
            return "TCP " + where + " accepted the connection";
        } catch (IOException e) {
            failures++;
            successes = 0;
            if (failures >= probe.failureThresholdOrDefault()) {
                tcpReady = false;
            }
            return "TCP " + where + ": " + e.getMessage() + " (" + failures + " in a row)";
        }
    }
}
