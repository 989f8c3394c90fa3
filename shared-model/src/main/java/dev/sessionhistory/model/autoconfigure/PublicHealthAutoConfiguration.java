package dev.sessionhistory.model.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.RestController;

/**
 * The health a service shows on its public port while the actuator has a port of its own
 * ({@code management.server.port}): {@code GET /actuator/health} answers the overall status
 * alone, {@code {"status":"UP"}} with the status code the actuator would send (200, or 503
 * when down), so that whatever probes the service port (a load balancer, a container
 * platform, {@code run.sh}) sees whether it is up without learning which servers it uses or
 * how they are. The details, the metrics and every other endpoint stay on the management
 * port. When the actuator shares the public port it answers there itself, and this is off.
 */
@AutoConfiguration(after = HealthEndpointAutoConfiguration.class)
@ConditionalOnClass({ HealthEndpoint.class, RestController.class, ConditionalOnManagementPort.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
public final class PublicHealthAutoConfiguration {

	/** Where the public port answers: the actuator's own health path. */
	public static final String PATH = "/actuator/health";

	@Bean
	@ConditionalOnBean({ HealthEndpoint.class, HealthEndpointGroups.class })
	PublicHealth publicHealth(HealthEndpoint health, HealthEndpointGroups groups) {
		return new PublicHealth(health, groups);
	}

}
