package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;

/**
 * What a DomainConfig's status says about where its domain may run, read by the node agents when {@code spec.nodeName}
 * changes and by the admission webhook. The xenopsd rule, never two running copies, rests on it: the node named in
 * {@code status.node} reported last, and while its phase says a domain may exist there, no other node boots one.
 */
public final class NodeHandover {
    private NodeHandover() {
    }

    /** The phases in which a domain may exist on the node that reported them. */
    public static boolean domainMayExist(DomainPhase phase) {
        return phase != null && switch (phase) {
            case Booting, Running, Paused, Halting, Unknown -> true;
            default -> false;
        };
    }

    /** The node whose domain this may still be, if not {@code self}: it reported last and its phase says so; else null. */
    public static String previousNode(DomainConfig dc, String self) {
        DomainConfigStatus st = dc.getStatus();
        if (st == null || st.getNode() == null || st.getNode().isBlank() || st.getNode().equals(self)) {
            return null;
        }
        return domainMayExist(st.getPhase()) ? st.getNode() : null;
    }
}
