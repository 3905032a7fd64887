package io.domainoperator.controller.agent;

import io.domainoperator.controller.doctor.HostCheck;
import io.domainoperator.controller.doctor.NodeDoctor;
import io.domainoperator.controller.journal.JournalFile;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Event an agent records on its Node when it starts: its version and backend, and doctor's verdict on the
 * host (what {@code /readyz} also lists). Warning when a check that blocks the agent failed, so that
 * {@code kubectl get events --field-selector type=Warning} shows a node that cannot run what it is asked to.
 */
final class StartEvent {
    static final String REASON = "AgentStarted";

    private StartEvent() {
    }

    static void record(EventRecorder events, String backend, List<HostCheck> problems) {
        boolean blocked = problems.stream().anyMatch(NodeDoctor::blocksAgent);
        String checks = problems.isEmpty() ? "every host check passed"
            : problems.size() + " host check(s) did not pass (run `domain-operator doctor` on the node): "
                + problems.stream().map(HostCheck::summary).collect(Collectors.joining("; "));
        events.recordOnNode(blocked ? "Warning" : "Normal", REASON, "agent " + JournalFile.agentVersion()
            + " started with the " + backend + " backend; " + checks + (blocked ? "; not ready until they pass" : ""));
    }
}
