package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.HypervisorException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forced poweroff of one QEMU: {@code quit} over QMP (QEMU exits at once, the guest is not asked), then
 * SIGKILL when QEMU does not exit in time or QMP is unusable. Exit is judged from /proc: a pid that no longer
 * runs this domain's QEMU (exited, a zombie, or reused by another program) counts as gone, so a recycled pid
 * is never killed.
 */
final class QemuStopper {
    private static final Logger LOG = LoggerFactory.getLogger(QemuStopper.class);
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final long pid;
    private final DomainPaths paths;
    private final ProcFs proc;
    private final Duration quitGrace;

    QemuStopper(String name, long pid, DomainPaths paths, ProcFs proc, Duration quitGrace) {
        this.name = name;
        this.pid = pid;
        this.paths = paths;
        this.proc = proc;
        this.quitGrace = quitGrace;
    }

    /**
     * @param domain the attached domain, or null for leftovers found on disk (then only SIGKILL is used)
     * @throws HypervisorException when the process survives SIGKILL
     */
    void stop(QemuDomain domain) {
        // A stopped QEMU (a hung migration target, SIGSTOPped) cannot answer quit: waiting on it only delays the kill.
        if (domain != null && proc.stopped(pid)) {
            LOG.warn("domain {}: destroy: QEMU pid {} is stopped by a signal and cannot quit; killing it", name, pid);
        } else if (domain != null) {
            try {
                domain.execute("quit");
            } catch (QmpException e) {
                // QEMU often closes the socket before its reply arrives; whether it exits is checked below.
                LOG.debug("domain {}: destroy: quit: {}", name, e.getMessage());
            }
            if (exited(quitGrace)) {
                LOG.info("domain {}: destroy: QEMU pid {} quit", name, pid);
                return;
            }
            LOG.warn("domain {}: destroy: QEMU pid {} did not quit within {} ms, killing it", name, pid,
                quitGrace.toMillis());
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (!exited(KILL_GRACE)) {
            throw new HypervisorException("destroy", name, "QEMU pid " + pid + " survived SIGKILL for "
                + KILL_GRACE.toSeconds() + " s (stuck in the kernel?); try again later");
        }
        LOG.info("domain {}: destroy: QEMU pid {} killed", name, pid);
    }

    private boolean exited(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (QemuDomain.isOurQemu(proc, pid, paths)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !QemuDomain.isOurQemu(proc, pid, paths);
            }
        }
        return true;
    }
}
