/**
 * The decision engine: what single operation brings a domain towards the state its DomainConfig asks for.
 *
 * <p>Entry points: {@link io.domainoperator.reconciler.DomainDecider#decide} for a domain with a DomainConfig,
 * {@link io.domainoperator.reconciler.DomainDecider#decideOrphan} for a domain of ours without one. Both are
 * pure functions of their arguments; time is the {@code now} argument, configuration the
 * {@link io.domainoperator.reconciler.Knobs}. The answer is a {@link io.domainoperator.reconciler.Decision}: one
 * {@link io.domainoperator.reconciler.Operation}, the complete status, events, when to look again, and the
 * {@link io.domainoperator.reconciler.Journal} with the observation folded in.
 *
 * <p>Where each rule of the engine lives:
 * <ul>
 *   <li>1 boot sequence and EVE's retry schedule, 6 start order, 8 adapters: {@code BootRules}, {@code AdapterRules},
 *       {@link io.domainoperator.reconciler.Dependencies}</li>
 *   <li>2 half-created domains, 3 lifecycle policies and crash backoff, 7 pending changes: {@code LifecycleRules},
 *       {@link io.domainoperator.reconciler.StartedSpec}</li>
 *   <li>4 a new domain id is a reboot, 10 answers for unconfirmed intents: {@code Situation} (the fold) and
 *       {@link io.domainoperator.reconciler.Journal}</li>
 *   <li>5 halting, 6 halt order: {@code HaltRules}; 9 foreign domains and orphans: {@code DomainDecider},
 *       {@code OrphanRules}</li>
 *   <li>status, conditions, events: {@code StatusBuilder}, {@code ConditionSet}</li>
 * </ul>
 *
 * <p>What the engine assumes of the Hypervisor port (the backends must hold to it): {@code createPaused} refuses a
 * name that exists (that refusal makes a repeated create after a crash safe); {@code destroy} of a gone domain
 * succeeds; domains are addressed by name; a domain created paused has zero vCPU time until unpaused.
 */
package io.domainoperator.reconciler;
