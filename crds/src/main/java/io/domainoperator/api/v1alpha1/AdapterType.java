package io.domainoperator.api.v1alpha1;

/** EVE's I/O adapter types. */
public enum AdapterType {
    NetEth,
    NetWLAN,
    NetWWAN,
    USB,
    USBController,
    USBDevice,
    Com,
    Audio,
    HDMI,
    NVMEStorage,
    SATAStorage,
    Other;

    /** Radios are never passed through: the host manages their regulatory state and firmware. */
    public boolean isWireless() {
        return this == NetWLAN || this == NetWWAN;
    }

    public boolean isNetwork() {
        return this == NetEth || this == NetWLAN || this == NetWWAN;
    }
}
