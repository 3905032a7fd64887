/**
 * From the API to the port: {@link io.domainoperator.hypervisor.spec.DefinitionFromSpec} turns a DomainConfig
 * spec into the immutable {@link io.domainoperator.hypervisor.DomainDefinition} the backends read. It is the only
 * place outside the xl import/export that knows both, so the port stays free of API types.
 */
package io.domainoperator.hypervisor.spec;
