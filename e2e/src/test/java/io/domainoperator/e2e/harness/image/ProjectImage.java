package io.domainoperator.e2e.harness.image;

/** The project image loaded into {@code podman}: what {@link ProjectImageExtension} hands to tests. */
public record ProjectImage(Podman podman, ImageArchive archive, String id, long sizeBytes) {
}
