package dev.sessionhistory.model.autoconfigure;

import java.util.Map;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

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
@ConditionalOnClass({ HealthEndpoint.class, RouterFunction.class, ConditionalOnManagementPort.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
public final class PublicHealthAutoConfiguration {

	/** Where the public port answers: the actuator's own health path. */
	public static final String PATH = "/actuator/health";

	@Bean
	@ConditionalOnBean({ HealthEndpoint.class, HealthEndpointGroups.class })
	RouterFunction<ServerResponse> publicHealth(HealthEndpoint health, HealthEndpointGroups groups) {
		return RouterFunctions.route().GET(PATH, (request) -> {
			HealthDescriptor descriptor = health.health();
			Status status = (descriptor != null) ? descriptor.getStatus() : Status.UNKNOWN;
			return ServerResponse.status(groups.getPrimary().getHttpCodeStatusMapper().getStatusCode(status))
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("status", status.getCode()));
		}).build();
	}

}
