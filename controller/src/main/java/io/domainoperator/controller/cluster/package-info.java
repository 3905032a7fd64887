/**
 * The cluster controller: the fleet-wide half of domain-operator (as KubeVirt's virt-controller is to
 * virt-handler). It validates DomainConfigs, places them on nodes, and reports nodes that stop answering;
 * node agents run the domains.
 *
 * <h2>Contract with the node agent</h2>
 * <ul>
 *   <li><b>Liveness and capacity.</b> Each agent runs a {@link io.domainoperator.controller.cluster.NodeHeartbeat}:
 *       a coordination.k8s.io/v1 Lease {@code domainoperator-node-<node>} in the controller's lease namespace
 *       (default {@code domain-operator-system}), holderIdentity the node name, renewed every 10 s with a 40 s
 *       duration, annotated with {@code domainoperator.io/memory-total-bytes}, {@code memory-free-bytes},
 *       {@code cpus} and {@code hypervisor} (see {@link io.domainoperator.controller.cluster.NodeLease}).</li>
 *   <li><b>Placement.</b> The controller writes {@code spec.nodeName} and the label
 *       {@code domainoperator.io/node} (it also mirrors the label for a nodeName a user set). The agent
 *       reconciles the DomainConfigs labelled with its node. A non-empty nodeName is never changed.</li>
 *   <li><b>Status ownership.</b> The controller owns the conditions SpecValid, Placed and NodeLost, and the phase of an
 *       unplaced domain (Pending: no fit; Broken: invalid spec), Scheduled at placement (only over none,
 *       Pending or Broken) and Unknown while its node is lost. The agent owns the other conditions and the
 *       phase of a placed domain on a live node. Both write with JSON patches locked to the resourceVersion
 *       they read and re-read on 409, so neither undoes the other. Ready is nobody's own: both derive it with
 *       {@link io.domainoperator.api.v1alpha1.ReadyCondition#derive} from the agent's verdict and SpecValid.</li>
 *   <li><b>What the agent should respect.</b> SpecValid=False means
 *       a cross-object problem (duplicate uuid or display name) or a field error: do not start the domain.
 *       After NodeLost is cleared the phase is still Unknown until the agent reports its own.</li>
 *   <li><b>startAfter</b> does not constrain placement: agents read the status of the domains they wait for
 *       through the API server, whichever node those run on.</li>
 * </ul>
 */
package io.domainoperator.controller.cluster;
