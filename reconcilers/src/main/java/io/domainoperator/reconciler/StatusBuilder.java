package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.ReadyCondition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.domainoperator.hypervisor.DomainInfo;
import java.util.List;
import java.util.Objects;

/**
 * Turns a verdict into the complete status and the events of this decision's transitions. Pure: the same inputs
 * give an equal status, and an unchanged situation gives a status equal to the last one written.
 *
 * <p>Fields the engine does not own are carried over from lastStatus: {@code configFile}, {@code diskPaths} and,
 * while a domain exists, {@code console} (the agent sets them from the node), and {@code node} unless
 * spec.nodeName says otherwise.
 */
final class StatusBuilder {
    private StatusBuilder() {
    }

    static Decision decision(Situation s, Verdict v) {
        DomainConfigStatus last = s.desired.lastStatus();
        DomainConfigStatus st = new DomainConfigStatus();
        Journal j = s.journal;
        DomainInfo d = s.observed;
        st.setPhase(v.phase());
        st.setObservedGeneration(s.desired.generation());
        st.setNode(s.spec.getNodeName() != null ? s.spec.getNodeName() : last == null ? null : last.getNode());
        st.setDomainId(d == null ? null : d.domainId());
        st.setDomainName(d == null ? null : d.name());
        st.setUuid(s.uuidInUse());
        st.setBootAttempts(j.bootAttempts());
        st.setLastBootError(j.bootAttempts() > 0 && j.bootFailure() != null ? j.bootFailure().error() : null);
        st.setNextBootRetryTime(Times.rfc3339(v.nextBootRetry()));
        st.setRestartCount(j.restartCount());
        st.setLastRebootTime(Times.rfc3339(j.lastRebootTime()));
        // A new status starts with empty mutable lists; fill them only when there is something to say.
        st.getPendingChanges().addAll(s.pendingChanges());
        if (last != null) {
            st.setConfigFile(last.getConfigFile());
            st.setConsole(d == null ? null : last.getConsole());
            st.getDiskPaths().addAll(last.getDiskPaths());
        }
        st.getAssignedAdapters().addAll(j.assignedAdapters());

        ConditionSet conditions = new ConditionSet(last, s.desired.generation(), s.now);
        boolean running = v.phase() == DomainPhase.Running;
        Condition guestReady = GuestReadyCondition.of(s, v);
        conditions.set(ReadyCondition.agentVerdict(condition(Conditions.READY, running, v.reason(), v.message()),
            guestReady));
        booted(conditions, s, v, d);
        String adapterReason = adapters(conditions, s, v);
        configApplied(conditions, s, v);
        if (guestReady != null) {
            conditions.set(guestReady);
        }
        SaveRestoreRules.condition(conditions, s);
        st.setConditions(conditions.build());

        transitionEvents(s, v, last, adapterReason, running);
        GuestReadyCondition.events(s, last, guestReady);
        operationEvents(s, v);
        return new Decision(v.operation(), st, v.requeueAfter(), s.events(), j);
    }

    static Condition condition(String type, boolean status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status ? Conditions.TRUE : Conditions.FALSE)
            .withReason(reason).withMessage(message).build();
    }

    private static void booted(ConditionSet c, Situation s, Verdict v, DomainInfo d) {
        boolean up = d != null && !d.state().dying() && !d.state().hasStopped()
            && (d.state().isAlive() || d.cpuTimeNanos() > 0) && !s.journal.pausedByUs();
        if (up) {
            c.set(Conditions.BOOTED, true, Conditions.RUNNING, "domain " + d.name() + " (id " + d.domainId()
                + ") has booted");
        } else {
            c.set(Conditions.BOOTED, false, v.reason(), v.message());
        }
    }

    /** Sets AdaptersAssigned; returns its reason. */
    private static String adapters(ConditionSet c, Situation s, Verdict v) {
        List<String> wanted = s.spec.getAdapters();
        List<String> assigned = s.journal.assignedAdapters();
        if (wanted.isEmpty()) {
            c.set(Conditions.ADAPTERS_ASSIGNED, true, Conditions.NO_ADAPTERS, "spec.adapters is empty");
            return Conditions.NO_ADAPTERS;
        }
        if (assigned.containsAll(wanted)) {
            c.set(Conditions.ADAPTERS_ASSIGNED, true, Conditions.ASSIGNED, "assigned: " + String.join(", ", wanted));
            return Conditions.ASSIGNED;
        }
        if (s.desired.wantsHalt()) {
            // Who else holds them is no news for a domain that is not to run.
            c.set(Conditions.ADAPTERS_ASSIGNED, false, v.reason(), "not assigned while the domain is halted: "
                + String.join(", ", wanted));
            return v.reason();
        }
        AdapterRules.Check check = s.adapterCheck();
        if (!check.ok()) {
            c.set(Conditions.ADAPTERS_ASSIGNED, false, check.reason(), check.message());
            return check.reason();
        }
        c.set(Conditions.ADAPTERS_ASSIGNED, false, Conditions.BOOTING, "assigned when the domain boots: "
            + String.join(", ", wanted));
        return Conditions.BOOTING;
    }

    /** The reason of ConfigApplied=Unknown: a domain runs and no journal says what spec it was booted with. */
    static final String JOURNAL_LOST = "JournalLost";

    private static void configApplied(ConditionSet c, Situation s, Verdict v) {
        List<String> pending = s.pendingChanges();
        if (s.observed != null && (s.journal.startedWith() == null || s.journal.startedWith().assumed())) {
            // A lost or garbled journal (set aside as .corrupt-N), or a kill between create and its journaled
            // outcome: claiming "matches the spec" here would be a guess.
            c.unknown(Conditions.CONFIG_APPLIED, JOURNAL_LOST, "no journal entry records the spec domain "
                + s.observed.name() + " (id " + s.observed.domainId() + ") was booted with (lost, unreadable and set"
                + " aside, or never written); whether it matches the spec is known again after its next boot");
        } else if (pending.isEmpty() && s.observed != null && LiveResizeRules.lastChangeAppliedLive(s.journal)) {
            c.set(Conditions.CONFIG_APPLIED, true, LiveResizeRules.APPLIED_LIVE, "the running domain matches the spec;"
                + " its last vcpus/memoryMiB change was applied live, without a restart");
        } else if (pending.isEmpty()) {
            c.set(Conditions.CONFIG_APPLIED, true, Conditions.APPLIED, s.observed == null
                ? "the spec applies when the domain boots" : "the running domain matches the spec");
        } else if (LiveResizeRules.reasonWhileActing(v) != null) {
            c.set(Conditions.CONFIG_APPLIED, false, LiveResizeRules.RESIZING_LIVE, v.message());
        } else if (s.spec.restartOnConfigChangeOrDefault() && !DesiredStateRules.keptPaused(s)) {
            c.set(Conditions.CONFIG_APPLIED, false, Conditions.RESTARTING_TO_APPLY, "changed while running: "
                + String.join(", ", pending) + LiveResizeRules.whyNotLive(s) + "; rebooting the domain gracefully to "
                + "apply them");
        } else {
            c.set(Conditions.CONFIG_APPLIED, false, LiveResizeRules.refusedThisGeneration(s)
                ? LiveResizeRules.LIVE_RESIZE_FAILED : Conditions.RESTART_REQUIRED, "changed while running: "
                + String.join(", ", pending) + LiveResizeRules.whyNotLive(s) + "; they apply at the next boot (set "
                + "restartOnConfigChange to reboot automatically)");
        }
    }

    private static void transitionEvents(Situation s, Verdict v, DomainConfigStatus last, String adapterReason,
                                         boolean running) {
        if (running && (last == null || last.getPhase() != DomainPhase.Running)) {
            s.event(DomainEvent.normal(Reasons.STARTED, v.message()));
        }
        Journal j = s.journal;
        int before = last == null || last.getBootAttempts() == null ? 0 : last.getBootAttempts();
        if (j.bootAttempts() > before && j.bootFailure() != null) {
            s.event(DomainEvent.warning(Conditions.BOOT_FAILED, "boot attempt " + j.bootAttempts() + " failed in "
                + j.bootFailure().operation() + ": " + j.bootFailure().error()));
        }
        String readyBefore = ConditionSet.previousReason(last, Conditions.READY);
        if (Conditions.BOOT_RETRY_SCHEDULED.equals(v.reason())
            && !Conditions.BOOT_RETRY_SCHEDULED.equals(readyBefore)) {
            s.event(DomainEvent.warning(Conditions.BOOT_RETRY_SCHEDULED, v.message()));
        }
        if (Reasons.INSUFFICIENT_MEMORY.equals(v.reason()) && !Reasons.INSUFFICIENT_MEMORY.equals(readyBefore)) {
            s.event(DomainEvent.warning(Reasons.INSUFFICIENT_MEMORY, v.message()));
        }
        if (isAdapterProblem(adapterReason)
            && !Objects.equals(adapterReason, ConditionSet.previousReason(last, Conditions.ADAPTERS_ASSIGNED))) {
            s.event(DomainEvent.warning(Conditions.ADAPTER_REFUSED, s.adapterCheck().message()));
        }
    }

    private static boolean isAdapterProblem(String reason) {
        return Conditions.ADAPTER_REFUSED.equals(reason) || Conditions.ADAPTER_BUSY.equals(reason)
            || Conditions.ADAPTER_MISSING.equals(reason);
    }

    /** Events that go with an operation, on its first attempt only (a retry after a failure is not news). */
    private static void operationEvents(Situation s, Verdict v) {
        Operation op = v.operation();
        Journal.Failure f = s.journal.lastFailure();
        if (f != null && f.operation().equals(op.kind())) {
            return;
        }
        SaveRestoreRules.events(s, v);
        switch (op) {
            // Once per request: pressing the power button again (HaltRules.pressAgain) is no news.
            case Operation.Shutdown sh when s.journal.shutdownRequestedAt() == null
                || s.journal.shutdownGeneration() != s.journal.generation() ->
                s.event(DomainEvent.normal(Conditions.GRACEFUL_SHUTDOWN, v.message()));
            case Operation.Destroy d when d.reason() == DestroyReason.FORCED ->
                s.event(DomainEvent.warning(Conditions.SHUTDOWN_FORCED, v.message()));
            case Operation.Destroy d when d.reason() == DestroyReason.HALF_CREATED ->
                s.event(DomainEvent.warning(Conditions.HALF_CREATED_REBUILT, v.message()));
            case Operation.Destroy d when d.reason() == DestroyReason.REBOOT_RESTART ->
                s.event(DomainEvent.normal(Conditions.REBOOTED, v.message()));
            default -> {
            }
        }
    }
}
