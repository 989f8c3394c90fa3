package dev.sessionhistory.api.gallery;

import java.io.IOException;

/**
 * An export that failed once its answer had begun: nothing can tell the client but the
 * transfer itself, cut short ({@link GalleryExportController#interrupted}).
 */
class ExportInterruptedException extends IOException {

	private static final long serialVersionUID = 1L;

	ExportInterruptedException(InstanceRef ref, long written, RuntimeException cause) {
		super("The export of " + ref.code() + " " + ref.sessionId() + " failed after " + written + " messages: "
				+ cause.getMessage(), cause);
	}

}
