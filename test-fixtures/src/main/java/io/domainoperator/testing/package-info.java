/** Test support every module's tests share: a hand-moved clock and temp file trees. Never on a main classpath. */
package io.domainoperator.testing;
