package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.ReadyCondition;
import io.domainoperator.controller.metrics.DomainMetrics;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.DesiredDomain;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statuses the agent writes without asking the engine: a DomainConfig it refuses to boot (a clash the cluster
 * controller found, an image path outside the allowed roots), and one whose hypervisor call or look has been
 * running long ({@link #waiting}). Each returns the status to write and whether it differs from the current one.
 */
final class StatusRefusals {
    private static final Logger LOG = LoggerFactory.getLogger(StatusRefusals.class);
    /** The agent's condition while a domain's hypervisor call or its follow-up look takes long. */
    static final String WAITING = "HypervisorWait";
    static final String CALL_RUNNING = "CallRunning";
    static final String LIST_RUNNING = "ListRunning";
    private final String nodeName;
    private final ImageRoots imageRoots;
    private final DomainMetrics metrics;
    private final Clock clock;

    /** A status to write (changed says whether it differs from the object's) and when to look again. */
    record Refusal(DomainConfigStatus status, boolean changed, Duration requeueAfter) {
    }

    StatusRefusals(String nodeName, ImageRoots imageRoots, DomainMetrics metrics, Clock clock) {
        this.nodeName = nodeName;
        this.imageRoots = imageRoots;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * A spec the cluster controller found clashing with another DomainConfig (duplicate uuid or name: its
     * SpecValid=False) is not acted on while no domain of it exists. The engine validates the spec
     * itself; only the clash is a fleet-wide fact it cannot see. A running domain is left alone; deletion proceeds.
     */
    Optional<Refusal> refuseInvalid(DomainConfig dc, DesiredDomain desired, Optional<DomainInfo> observed) {
        if (desired.deletionRequested() || observed.isPresent()) {
            return Optional.empty();
        }
        DomainConfigStatus current = dc.getStatus();
        Condition specValid = current == null ? null : current.condition(Conditions.SPEC_VALID);
        if (specValid == null || !Conditions.FALSE.equals(specValid.getStatus())) {
            return Optional.empty();
        }
        DomainConfigStatus status = copyOf(current);
        Condition ready = current.condition(Conditions.READY);
        Condition derived = ReadyCondition.derive(ReadyCondition.mirrors(ready, specValid) ? null : ready, specValid);
        status.setConditions(withCondition(status.getConditions(), derived));
        status.setPhase(DomainPhase.Broken);
        status.setNode(nodeName);
        status.setObservedGeneration(dc.getMetadata().getGeneration());
        metrics.recordPhase(desired.key(), DomainPhase.Broken.name());
        return Optional.of(new Refusal(status, !status.equals(current), Duration.ofMinutes(5)));
    }

    /**
     * A source outside the allowed image roots, or not a regular file, is refused before any hypervisor call or
     * disk copy: status Broken, Ready=False naming the field and the flag that widens the roots. Only while no
     * domain exists: a running domain is left alone, and deletion proceeds.
     */
    Optional<Refusal> refuseImagePaths(DomainConfig dc, String key, DesiredDomain desired, Optional<DomainInfo> observed) {
        if (desired.deletionRequested() || observed.isPresent() || dc.getSpec() == null) {
            return Optional.empty();
        }
        Optional<String> why = imageRoots.refusal(dc.getSpec());
        if (why.isEmpty()) {
            return Optional.empty();
        }
        DomainConfigStatus current = dc.getStatus();
        DomainConfigStatus status = current == null ? new DomainConfigStatus() : copyOf(current);
        Condition previous = current == null ? null : current.condition(Conditions.READY);
        boolean same = previous != null && Conditions.FALSE.equals(previous.getStatus())
            && Conditions.IMAGE_PATH_REFUSED.equals(previous.getReason()) && why.get().equals(previous.getMessage());
        if (!same) {
            LOG.error("{}: not booted: {}", key, why.get());
            Condition ready = new ConditionBuilder().withType(Conditions.READY)
                .withStatus(Conditions.FALSE).withReason(Conditions.IMAGE_PATH_REFUSED).withMessage(why.get())
                .withObservedGeneration(dc.getMetadata().getGeneration())
                .withLastTransitionTime(clock.instant().toString()).build();
            status.setConditions(withCondition(status.getConditions(), ready));
        }
        status.setPhase(DomainPhase.Broken);
        status.setNode(nodeName);
        status.setObservedGeneration(dc.getMetadata().getGeneration());
        metrics.recordPhase(key, DomainPhase.Broken.name());
        // Looked at again when the spec changes (a new generation) or the file appears, so not often.
        return Optional.of(new Refusal(status, !status.equals(current), Duration.ofMinutes(1)));
    }

    /**
     * The status while the domain waits for its hypervisor call or the look after it: unchanged until the wait
     * has lasted {@code reportAfter}, then the current status with condition {@value #WAITING}=True naming what
     * it waits for, since when. The condition goes with the next decision's status, which the agent owns whole.
     */
    Refusal waiting(DomainConfig dc, OperationRunner.Waiting waiting, Duration reportAfter) {
        DomainConfigStatus current = dc.getStatus();
        Duration waited = Duration.between(waiting.since(), clock.instant());
        if (waited.compareTo(reportAfter) < 0) {
            return new Refusal(current, false, reportAfter.minus(waited));
        }
        DomainConfigStatus status = current == null ? new DomainConfigStatus() : copyOf(current);
        boolean call = waiting.what().startsWith("the hypervisor call");
        status.setConditions(withCondition(status.getConditions(), new ConditionBuilder().withType(WAITING)
            .withStatus(Conditions.TRUE).withReason(call ? CALL_RUNNING : LIST_RUNNING)
            .withMessage("waiting for " + waiting.what() + " since " + waiting.since()
                + (call ? "; other domains are not held up by it" : ""))
            .withLastTransitionTime(waiting.since().toString()).build()));
        status.setNode(nodeName);
        return new Refusal(status, !status.equals(current), reportAfter.multipliedBy(6));
    }

    static DomainConfigStatus copyOf(DomainConfigStatus s) {
        return io.fabric8.kubernetes.client.utils.Serialization.clone(s);
    }

    /** {@code conditions} with {@code c} in place of the one of its type (appended when there is none). */
    static List<Condition> withCondition(List<Condition> conditions, Condition c) {
        List<Condition> out = new ArrayList<>();
        boolean replaced = false;
        for (Condition existing : conditions) {
            boolean same = existing.getType().equals(c.getType());
            out.add(same ? c : existing);
            replaced |= same;
        }
        if (!replaced) {
            out.add(c);
        }
        return out;
    }
}
