package dev.sessionhistory.api.system;

import java.util.function.Predicate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.ErrorResponse;

/**
 * An endpoint on the hot path that times itself with its own meters instead of the
 * {@code http.server.requests} observation: the observation (its context, tags and a meter
 * lookup by them on every request) cost about a tenth of a live history read's CPU. Its
 * feature registers {@link #unobserved} as a bean and counts its failures with
 * {@link #failed}, by status, which the observation would otherwise have tagged.
 */
public final class SelfTimedEndpoint {

	private SelfTimedEndpoint() {
	}

	/** Leaves the requests that {@code matches} out of {@code http.server.requests}. */
	public static ObservationPredicate unobserved(Predicate<HttpServletRequest> matches) {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& matches.test(request.getCarrier()));
	}

	/** Counts a failed request of the endpoint {@code name} by the status it is answered with. */
	public static void failed(MeterRegistry registry, String name, RuntimeException ex) {
		int status = (ex instanceof ErrorResponse response) ? response.getStatusCode().value() : 500;
		registry.counter(name + ".failures", "status", Integer.toString(status)).increment();
	}

}
