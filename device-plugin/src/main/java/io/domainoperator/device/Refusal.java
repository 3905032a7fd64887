package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.Conditions;

/**
 * Why an adapter may not go to a domain. The controller turns it into a condition and an event.
 *
 * @param adapter    PhysicalIOAdapter name the rule is about (may be a group peer of what the domain asked for)
 * @param pciAddress its PCI address, or null when it has none
 * @param rule       the rule that refused
 * @param message    a sentence saying what and what to do
 */
public record Refusal(String adapter, String pciAddress, Rule rule, String message) {

    /** The rules, named as in the API so a user can find the field. */
    public enum Rule {
        KEEP_IN_HOST("keepInHost"),
        USAGE_DOM0("usageDom0"),
        MANAGEMENT_PORT("managementPort"),
        WIRELESS("wireless"),
        HELD_BY_OTHER_DOMAIN("heldByOtherDomain"),
        HOST_DEVICE_IN_GROUP("hostDeviceInGroup"),
        NOT_PCI("notPci"),
        NO_IOMMU_GROUP("noIommuGroup"),
        MISSING("missing");

        private final String camelCase;

        Rule(String camelCase) {
            this.camelCase = camelCase;
        }

        public String camelCase() {
            return camelCase;
        }
    }

    /** The condition reason: AdapterBusy while another domain holds it, AdapterMissing when absent, else AdapterRefused. */
    public String conditionReason() {
        return switch (rule) {
            case HELD_BY_OTHER_DOMAIN -> Conditions.ADAPTER_BUSY;
            case MISSING -> Conditions.ADAPTER_MISSING;
            default -> Conditions.ADAPTER_REFUSED;
        };
    }

    /** Whether the refusal lasts until an administrator acts (as opposed to waiting for another domain). */
    public boolean isPermanent() {
        return rule != Rule.HELD_BY_OTHER_DOMAIN && rule != Rule.MISSING;
    }
}
