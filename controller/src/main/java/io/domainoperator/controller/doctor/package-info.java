/**
 * What a node needs to run what it is asked to run, checked on the host and explained: {@code domain-operator doctor}
 * prints it, and the agent runs the same checks at start and reports failures on {@code /readyz} and in its log.
 */
package io.domainoperator.controller.doctor;
