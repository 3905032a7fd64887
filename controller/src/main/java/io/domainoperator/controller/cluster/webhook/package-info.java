/**
 * The cluster controller's validating admission webhook for DomainConfigs: errors at {@code kubectl apply} time.
 *
 * <ul>
 *   <li>{@link io.domainoperator.controller.cluster.webhook.DomainConfigAdmission}: what is refused, a pure
 *       function (the validator, the controller's duplicate rule, {@code startAfter} cycles, held adapters).</li>
 *   <li>{@link io.domainoperator.controller.cluster.webhook.AdmissionReviewHandler}: AdmissionReview in, answer
 *       out; {@link io.domainoperator.controller.cluster.webhook.WebhookServer}: the JDK's HttpsServer around it.</li>
 *   <li>{@link io.domainoperator.controller.cluster.webhook.InformerClusterView}: the caches it compares with,
 *       on every replica.</li>
 *   <li>{@link io.domainoperator.controller.cluster.webhook.CertificateKeeper} with
 *       {@link io.domainoperator.controller.cluster.webhook.SelfSignedIssuer}: the serving certificate in a
 *       Secret, renewed by the leader at two thirds of its lifetime, and the webhook configuration's caBundle.</li>
 *   <li>{@link io.domainoperator.controller.cluster.webhook.AdmissionWebhook}: the wiring the
 *       {@code controller --webhook-port} command starts.</li>
 * </ul>
 */
package io.domainoperator.controller.cluster.webhook;
