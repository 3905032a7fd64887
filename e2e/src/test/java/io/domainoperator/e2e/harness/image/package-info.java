/** The project image's harness: podman, the built image and its archive, the extension that provides them. */
package io.domainoperator.e2e.harness.image;
