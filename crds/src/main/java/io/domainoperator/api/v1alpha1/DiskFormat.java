package io.domainoperator.api.v1alpha1;

/** Image formats the backends can attach. */
public enum DiskFormat {
    qcow2,
    raw
}
