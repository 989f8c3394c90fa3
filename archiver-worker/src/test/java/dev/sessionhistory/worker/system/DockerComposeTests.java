package dev.sessionhistory.worker.system;

import dev.sessionhistory.testsupport.ComposeFile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the archiver-worker block of docker-compose.yml consistent with this service. */
class DockerComposeTests {

	private final ComposeFile compose = ComposeFile.load();

	@Test
	void everyVariableSetsAPropertyOfThisService() {
		assertThat(this.compose.unboundVariables("archiver-worker")).isEmpty();
	}

	@Test
	void portsMatchTheServiceDefault() {
		assertThat(this.compose.portMismatches("archiver-worker")).isEmpty();
	}

}
