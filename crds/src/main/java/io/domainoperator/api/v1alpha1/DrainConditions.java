package io.domainoperator.api.v1alpha1;

/**
 * The {@code Draining} condition the cluster controller keeps on each DomainConfig whose node is drained (cordoned and
 * labelled {@value MigrationConditions#MAINTENANCE_LABEL}{@code =true}), and the annotation that remembers a halt drain
 * made. Removed once the domain is off the node, or the node is back in service.
 */
public final class DrainConditions {
    /** Condition type: True while drain moves the domain, False when it cannot. */
    public static final String DRAINING = "Draining";
    /** True: a live migration off the node is under way (the message names the DomainMigration). */
    public static final String MIGRATING_LIVE = "MigratingLive";
    /** True: spec.drainPolicy halts the domain on the node (HaltAndBootElsewhere or Halt). */
    public static final String HALTING = "Halting";
    /** False: halted on the drained node by spec.drainPolicy Halt; it boots there again once the node is uncordoned. */
    public static final String HALTED_ON_NODE = "HaltedOnDrainedNode";
    /** True: drain will move it live once fewer than --drain-parallel drain moves run. */
    public static final String WAITING = "WaitingForDrainSlot";
    /** False: it cannot move live and its spec.drainPolicy is LiveMigrate: it keeps running on the node. */
    public static final String DRAIN_BLOCKED = "DrainBlocked";
    /**
     * On a DomainConfig drain halted (spec.activate set false by the controller): the drained node. While it is there
     * the controller owns spec.activate; it sets it true again and removes the annotation when the domain boots
     * elsewhere or the node is uncordoned.
     */
    public static final String HALTED_BY_DRAIN_ANNOTATION = "domainoperator.io/halted-by-drain";

    private DrainConditions() {
    }
}
