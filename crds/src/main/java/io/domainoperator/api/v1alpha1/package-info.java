/**
 * The domain-operator API, group {@code domainoperator.io}, version {@code v1alpha1}.
 *
 * <p>{@link io.domainoperator.api.v1alpha1.DomainConfig} declares a virtual machine;
 * {@link io.domainoperator.api.v1alpha1.PhysicalIOAdapter} declares a node's passthrough device.
 * Field names follow EVE's DomainConfig and the {@code xl} configuration the node agent writes.
 */
package io.domainoperator.api.v1alpha1;
