package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.Conditions;
import java.util.List;
import java.util.stream.Collectors;

/** What {@link DevicePlugin#assign} did. The controller maps it onto the AdaptersAssigned condition. */
public sealed interface AssignmentOutcome {

    String domain();

    /** CamelCase condition reason. */
    String reason();

    /** One sentence for the condition message and the event. */
    String message();

    /**
     * The domain holds its adapters, and their IOMMU and assignmentGroup peers, in the passthrough driver.
     *
     * @param pciAddresses long-form addresses for {@code DomainDefinition.pciAddresses}, sorted
     */
    record Assigned(String domain, List<String> pciAddresses) implements AssignmentOutcome {
        public Assigned {
            pciAddresses = List.copyOf(pciAddresses);
        }

        @Override
        public String reason() {
            return Conditions.ASSIGNED;
        }

        @Override
        public String message() {
            return pciAddresses.isEmpty() ? "no PCI adapters" : "holds " + String.join(", ", pciAddresses);
        }
    }

    /** A rule said no; nothing moved. */
    record Refused(String domain, List<Refusal> refusals) implements AssignmentOutcome {
        public Refused {
            refusals = List.copyOf(refusals);
        }

        /** AdapterRefused when any rule is permanent, else AdapterBusy or AdapterMissing (worth waiting for). */
        @Override
        public String reason() {
            return refusals.stream().filter(Refusal::isPermanent).findFirst().orElse(refusals.getFirst()).conditionReason();
        }

        @Override
        public String message() {
            return refusals.stream().map(Refusal::message).collect(Collectors.joining("; "));
        }
    }

    /** A sysfs step failed; the group went back to its previous drivers (see {@link MoveFailure#rolledBack}). */
    record Failed(String domain, MoveFailure failure) implements AssignmentOutcome {
        @Override
        public String reason() {
            return DeviceConditions.ADAPTER_MOVE_FAILED;
        }

        @Override
        public String message() {
            return failure.describe();
        }
    }
}
