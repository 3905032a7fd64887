/**
 * The node agent: one per hypervisor node (the DaemonSet, or {@code standalone} on one machine).
 *
 * <p>{@link io.domainoperator.controller.agent.NodeAgent} starts the java-operator-sdk loop over this node's
 * DomainConfigs. Each reconcile ({@link io.domainoperator.controller.agent.DomainConfigReconciler}) is one
 * {@link io.domainoperator.controller.agent.DomainStep}: observe (the {@link io.domainoperator.controller.agent.HypervisorPoller}'s
 * snapshot, the journal, adapters, startAfter neighbours), decide (the pure engine in
 * {@code io.domainoperator.reconciler}), journal the intent, act
 * ({@link io.domainoperator.controller.agent.OperationExecutor}: hypervisor, {@link io.domainoperator.controller.agent.DiskStore},
 * {@link io.domainoperator.controller.agent.AdapterAssigner}), journal the outcome and report status and events.
 *
 * <p>Nothing on a reconcile thread waits for the hypervisor or for another domain: operations run on threads of
 * their own ({@code OperationRunner}), the poller alone lists the hypervisor and coalesces the looks that follow
 * operations, the journal is read from memory, and status writes ({@link io.domainoperator.controller.agent.StatusWriter})
 * and the events written after the status that carries them ({@link io.domainoperator.controller.agent.EventRecorder})
 * leave the reconcile thread: a stopped API server holds up no decision. A domain whose call or look takes
 * long says so in its status (condition {@code HypervisorWait}).
 *
 * <p>Configuration takes one path: flags ({@code cli.AgentOptions}) build an
 * {@link io.domainoperator.controller.agent.AgentConfig} with {@link io.domainoperator.controller.agent.GlobalKnobs}, the
 * knobs ConfigMap overrides them at run time ({@link io.domainoperator.controller.agent.KnobsWatcher}), and
 * {@link io.domainoperator.controller.agent.GlobalKnobs#engineKnobs()} hands them to the engine.
 *
 * <p>The cluster-wide side (placement, validation across objects, node loss) is the cluster controller's, in
 * {@code io.domainoperator.controller.cluster}; the two write disjoint parts of a DomainConfig's status.
 */
package io.domainoperator.controller.agent;
