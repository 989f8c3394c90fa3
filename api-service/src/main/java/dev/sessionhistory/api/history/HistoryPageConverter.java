package dev.sessionhistory.api.history;

import java.io.IOException;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Writes a {@link HistoryPage} as it is, with its exact length. Conditional requests are
 * answered before this runs, so a 304 costs no copying at all.
 */
class HistoryPageConverter extends AbstractHttpMessageConverter<HistoryPage> {

	HistoryPageConverter() {
		super(MediaType.APPLICATION_JSON);
	}

	@Override
	protected boolean supports(Class<?> clazz) {
		return HistoryPage.class == clazz;
	}

	@Override
	protected boolean canRead(MediaType mediaType) {
		return false;
	}

	@Override
	protected HistoryPage readInternal(Class<? extends HistoryPage> clazz, HttpInputMessage inputMessage) {
		throw new HttpMessageNotReadableException("History pages are only written", inputMessage);
	}

	@Override
	protected Long getContentLength(HistoryPage page, MediaType contentType) {
		return page.contentLength();
	}

	@Override
	protected void writeInternal(HistoryPage page, HttpOutputMessage outputMessage) throws IOException {
		page.writeTo(outputMessage.getBody());
	}

}
