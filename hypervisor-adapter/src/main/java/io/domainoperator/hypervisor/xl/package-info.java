/**
 * The Xen backend: {@link io.domainoperator.hypervisor.xl.XlHypervisor} drives the {@code xl} tool, writing each
 * domain's file with {@link io.domainoperator.hypervisor.xl.XlConfigRenderer} in the form EVE's domainmgr writes.
 * {@link io.domainoperator.hypervisor.xl.XlConfigImporter} and {@link io.domainoperator.hypervisor.xl.XlConfigExporter}
 * turn existing xl files into DomainConfigs and back (the {@code import-xl} CLI);
 * {@link io.domainoperator.hypervisor.xl.LibXlUtil} loads Xen 4.17's own parser to check rendered files.
 *
 * <p>Wiring: {@code new XlHypervisor(new ProcessCommandRunner(), XlHypervisor.Settings.defaults())}.
 */
package io.domainoperator.hypervisor.xl;
