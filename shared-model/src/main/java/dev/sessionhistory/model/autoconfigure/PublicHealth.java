package dev.sessionhistory.model.autoconfigure;

import java.util.Map;

import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public port's status-only health ({@link PublicHealthAutoConfiguration}), an
 * annotated controller: a functional route would make every request pass through a
 * {@code ServerRequest}, whose headers refuse a wildcard {@code Content-Type} (a client's
 * {@code application/*}) with an exception before any handler could answer it. A class of
 * its own, not a member of the configuration, which would register it a second time.
 */
@RestController
final class PublicHealth {

	private final HealthEndpoint health;

	private final HealthEndpointGroups groups;

	PublicHealth(HealthEndpoint health, HealthEndpointGroups groups) {
		this.health = health;
		this.groups = groups;
	}

	@GetMapping(path = PublicHealthAutoConfiguration.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, String>> health() {
		HealthDescriptor descriptor = this.health.health();
		Status status = (descriptor != null) ? descriptor.getStatus() : Status.UNKNOWN;
		return ResponseEntity.status(this.groups.getPrimary().getHttpCodeStatusMapper().getStatusCode(status))
			.body(Map.of("status", status.getCode()));
	}

}
