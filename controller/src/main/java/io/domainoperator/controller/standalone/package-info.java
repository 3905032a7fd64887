/**
 * Standalone mode: the node agent's very same loop on one machine with no cluster. An in-process stand-in for
 * the API server ({@link io.domainoperator.controller.standalone.EmbeddedApiServer}), a folder of manifests as the
 * desired state ({@link io.domainoperator.controller.standalone.ManifestFolder}) and status files beside the
 * journal ({@link io.domainoperator.controller.standalone.StatusMirror}).
 */
package io.domainoperator.controller.standalone;
