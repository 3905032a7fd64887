package io.domainoperator.e2e.image;

/** The project image loaded into {@code podman}: what {@link ProjectImageExtension} hands to tests. */
record ProjectImage(Podman podman, ImageArchive archive, String id, long sizeBytes) {
}
