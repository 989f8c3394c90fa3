package dev.sessionhistory.worker.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Gives the worker Spring Boot's task scheduler ({@code spring.task.scheduling.*}), which
 * Boot creates only where scheduling is enabled. The sweep, the reconcile and retention run
 * on it, scheduled by their {@code SmartLifecycle} rather than by {@code @Scheduled}, so
 * that they start and stop in order around the event subscription.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfiguration {

}
