/** Test support every module's tests share: a hand-moved clock, temp file trees, minimal DomainConfig specs and manifests. Never on a main classpath. */
package io.domainoperator.testing;
