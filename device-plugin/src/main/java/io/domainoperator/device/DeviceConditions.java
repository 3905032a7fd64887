package io.domainoperator.device;

/** Condition type and reasons the device plugin adds to those in {@code Conditions}. */
public final class DeviceConditions {
    /** PhysicalIOAdapter condition: whether a domain could have this adapter now. */
    public static final String ASSIGNABLE = "Assignable";
    /** Assignable=True: nothing holds it and no rule keeps it in the host. */
    public static final String FREE = "Free";
    /** PhysicalIOAdapter condition: whether the last move of the device between drivers worked. */
    public static final String DRIVER_MOVE = "DriverMove";
    /** DriverMove=True: no move failed since the agent started, or the last one worked. */
    public static final String COMPLETED = "Completed";
    /** A driver move failed and was rolled back; the message names the device and the step. */
    public static final String ADAPTER_MOVE_FAILED = "AdapterMoveFailed";

    private DeviceConditions() {
    }
}
