package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.util.List;
import java.util.Objects;

/**
 * Live resize (issue 18): a running domain's {@code vcpus} and {@code memoryMiB} change without a restart when
 * the new values stay within the maxima it was booted with ({@code maxVcpus}, {@code maxMemoryMiB} unchanged).
 * A change of a maximum, or a live resize the backend refused for this generation, stays restart-required
 * (rule 7), and ConfigApplied says which of the two applies.
 */
final class LiveResizeRules {
    /** ConfigApplied=True: the running domain matches the spec, and its last change was applied without a restart. */
    static final String APPLIED_LIVE = "AppliedLive";
    /** Ready and ConfigApplied while the resize is being applied to the running domain. */
    static final String RESIZING_LIVE = "ResizingLive";
    /** ConfigApplied=False: the backend refused the live resize; the change waits for the next boot. */
    static final String LIVE_RESIZE_FAILED = "LiveResizeFailed";

    private static final List<String> LIVE_FIELDS = List.of("vcpus", "memoryMiB");

    private LiveResizeRules() {
    }

    /**
     * The resize to perform now, or null when there is none: nothing live-changeable differs, a maximum changed
     * too, the change is being applied by a restart anyway, or the backend refused it for this generation.
     */
    static Verdict resize(Situation s, DomainInfo d) {
        List<String> pending = s.pendingChanges();
        StartedSpec started = s.journal.startedWith();
        if (pending.isEmpty() || started == null || started.assumed() || !liveCapable(s)
            || refusedThisGeneration(s)) {
            return null;
        }
        if (s.spec.restartOnConfigChangeOrDefault() && !LIVE_FIELDS.containsAll(pending)) {
            return null; // the restart applies everything at once
        }
        int vcpus = s.spec.getVcpus();
        int memory = s.spec.getMemoryMiB();
        return Verdict.act(new Operation.ResizeLive(d.name(), vcpus, memory), DomainPhase.Running, RESIZING_LIVE,
            "applying " + describe(started, vcpus, memory) + " to the running domain " + d.name() + " (id "
                + d.domainId() + ") without a restart");
    }

    /** vcpus or memoryMiB differ from what the domain runs with, and both maxima are what it booted with. */
    static boolean liveCapable(Situation s) {
        StartedSpec started = s.journal.startedWith();
        List<String> pending = s.pendingChanges();
        if (started == null || s.spec.getVcpus() == null || s.spec.getMemoryMiB() == null
            || pending.contains("maxVcpus") || pending.contains("maxMemoryMiB")) {
            return false;
        }
        return (pending.contains("vcpus") || pending.contains("memoryMiB"))
            && s.spec.getVcpus() <= s.spec.effectiveMaxVcpus() && s.spec.getMemoryMiB() <= s.spec.effectiveMaxMemoryMiB();
    }

    /** The backend refused a live resize for the spec generation now asked for: retrying would fail the same way. */
    static boolean refusedThisGeneration(Situation s) {
        Journal.Failure f = s.journal.lastFailure();
        return f != null && f.operation().equals(Operation.ResizeLive.KIND) && f.generation() == s.desired.generation();
    }

    /**
     * After a live resize whose success was not recorded (in flight when the agent died, or a retry that failed):
     * what the journal should say the domain runs with, taking each of vcpus and memory from the running domain where
     * it already shows the spec's value; null when the journal is right as it is.
     */
    static StartedSpec landedUnrecorded(Journal j, io.domainoperator.api.v1alpha1.DomainConfigSpec spec, DomainInfo d) {
        StartedSpec started = j.startedWith();
        Journal.Intent i = j.intent();
        if (started == null || started.assumed() || i == null || !i.operation().equals(Operation.ResizeLive.KIND)
            || i.outcome() == Journal.Outcome.SUCCEEDED || spec.getVcpus() == null || spec.getMemoryMiB() == null) {
            return null;
        }
        // What the domain shows, not only what the spec asks now: a resize whose outcome was lost may have landed
        // a value the spec has since moved away from (asked 512 -> 768, killed after the effect, then 512 again: the
        // journal said 512 and the domain kept 768 for good; ConvergenceProperties seed 6417735550371266393).
        long mib = 1024L * 1024L;
        boolean vcpusLanded = d.vcpus() > 0 && !Objects.equals(started.vcpus(), d.vcpus());
        boolean memoryLanded = d.memoryBytes() > 0 && d.memoryBytes() % mib == 0
            && !Objects.equals(started.memoryMiB() == null ? null : started.memoryMiB().longValue(), d.memoryBytes() / mib);
        if (!vcpusLanded && !memoryLanded) {
            return null;
        }
        return resized(started, new Operation.ResizeLive(d.name(), vcpusLanded ? d.vcpus() : started.vcpus(),
            memoryLanded ? (int) (d.memoryBytes() / mib) : started.memoryMiB()));
    }

    /** The last operation was a live resize that succeeded: ConfigApplied says so. */
    static boolean lastChangeAppliedLive(Journal j) {
        Journal.Intent i = j.intent();
        return i != null && i.operation().equals(Operation.ResizeLive.KIND) && i.outcome() == Journal.Outcome.SUCCEEDED;
    }

    /**
     * Why pending changes are not applied live, to append to ConfigApplied's restart message; empty when they
     * include no live-changeable field.
     */
    static String whyNotLive(Situation s) {
        List<String> pending = s.pendingChanges();
        if (!pending.contains("vcpus") && !pending.contains("memoryMiB")) {
            return "";
        }
        if (refusedThisGeneration(s)) {
            return " (the live resize failed: " + s.journal.lastFailure().error() + ")";
        }
        if (pending.contains("maxVcpus") || pending.contains("maxMemoryMiB")) {
            return " (vcpus and memoryMiB change live only within the maxVcpus/maxMemoryMiB the domain booted with)";
        }
        return "";
    }

    /** ConfigApplied's reason while acting; null when no live resize is under way. */
    static String reasonWhileActing(Verdict v) {
        return v.operation() instanceof Operation.ResizeLive ? RESIZING_LIVE : null;
    }

    private static String describe(StartedSpec started, int vcpus, int memory) {
        StringBuilder b = new StringBuilder();
        if (!Objects.equals(started.vcpus(), vcpus)) {
            b.append("vcpus ").append(started.vcpus()).append(" -> ").append(vcpus);
        }
        if (!Objects.equals(started.memoryMiB(), memory)) {
            b.append(b.isEmpty() ? "" : ", ").append("memoryMiB ").append(started.memoryMiB()).append(" -> ").append(memory);
        }
        return b.toString();
    }

    /** The snapshot after a successful live resize: the domain now runs with these values. */
    static StartedSpec resized(StartedSpec started, Operation.ResizeLive r) {
        if (started == null) {
            return null;
        }
        return new StartedSpec(started.displayName(), started.uuid(), started.mode(), r.vcpus(), started.maxVcpus(),
            r.memoryMiB(), started.maxMemoryMiB(), started.kernel(), started.ramdisk(), started.cmdline(),
            started.bootOrder(), started.disks(), started.vifs(), started.adapters(), started.vncEnabled(),
            started.vncListen(), started.serial(), started.usbTablet(), started.assumed());
    }

}
