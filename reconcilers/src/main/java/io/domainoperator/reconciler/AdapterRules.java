package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.AdapterUsage;
import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule 8: a domain boots only when every adapter it names can be passed through to it. An adapter blocks when
 * it does not exist, is kept in the host ({@code keepInHost}, usage Dom0, the management port), is a radio, or
 * is held by another domain that is running. The domain boots as soon as the blocker goes away.
 */
final class AdapterRules {
    private AdapterRules() {
    }

    /**
     * The verdict on a domain's adapters.
     *
     * @param reason        AdapterMissing, AdapterRefused or AdapterBusy for the first blocked adapter; null when
     *                      all can be assigned
     * @param message       every problem, naming the adapter and what to do
     * @param pciAddresses  PCI addresses of the adapters, in spec order (USB and serial adapters have none)
     */
    record Check(String reason, String message, List<String> pciAddresses) {
        boolean ok() {
            return reason == null;
        }
    }

    private static final Check NO_ADAPTERS = new Check(null, null, List.of());

    static Check check(String self, List<String> wanted, List<AdapterView> views) {
        if (wanted.isEmpty()) {
            return NO_ADAPTERS;
        }
        String reason = null;
        StringBuilder problems = null;
        List<String> pci = new ArrayList<>(wanted.size());
        for (String name : wanted) {
            AdapterView view = find(views, name);
            String[] problem = problem(self, name, view);
            if (problem != null) {
                if (reason == null) {
                    reason = problem[0];
                    problems = new StringBuilder(problem[1]);
                } else {
                    problems.append("; ").append(problem[1]);
                }
            } else if (view.spec().getPciAddress() != null) {
                pci.add(view.spec().getPciAddress());
            }
        }
        return new Check(reason, problems == null ? null : problems.toString(), List.copyOf(pci));
    }

    /** {reason, message} for an adapter that blocks the boot, or null. */
    private static String[] problem(String self, String name, AdapterView view) {
        if (view == null || view.spec() == null) {
            return new String[] {Conditions.ADAPTER_MISSING, "adapter " + name
                + " does not exist on this node: create the PhysicalIOAdapter or remove it from spec.adapters"};
        }
        PhysicalIOAdapterSpec spec = view.spec();
        if (spec.keepInHostOrDefault()) {
            return new String[] {Conditions.ADAPTER_REFUSED, "adapter " + name
                + " is marked keepInHost: the host keeps it; clear keepInHost or remove it from spec.adapters"};
        }
        if (view.dom0ManagementPort() || spec.usageOrDefault() == AdapterUsage.Dom0) {
            return new String[] {Conditions.ADAPTER_REFUSED, "adapter " + name
                + " is used by the host (dom0), e.g. as its management port; it is never passed through"};
        }
        if (spec.getType() != null && spec.getType().isWireless()) {
            return new String[] {Conditions.ADAPTER_REFUSED, "adapter " + name + " is a radio (" + spec.getType()
                + "): the host manages its regulatory state and firmware, so it is never passed through"};
        }
        if (view.heldBy() != null && !view.heldBy().equals(self) && view.holderRunning()) {
            return new String[] {Conditions.ADAPTER_BUSY, "adapter " + name + " is held by " + view.heldBy()
                + ", which is running; this domain boots when " + view.heldBy() + " releases it"};
        }
        return null;
    }

    private static AdapterView find(List<AdapterView> views, String name) {
        for (AdapterView v : views) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        return null;
    }
}
