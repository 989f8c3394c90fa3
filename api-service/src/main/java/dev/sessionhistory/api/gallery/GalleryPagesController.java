package dev.sessionhistory.api.gallery;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The gallery's pages: static files under {@code /admin/assets/} (they hold no data; the
 * data comes from {@code /admin/api/…}), served at the addresses an admin bookmarks, which
 * only admins reach (the others are sent to sign in).
 */
@Controller
@Hidden
class GalleryPagesController {

	@GetMapping({ "/admin", "/admin/" })
	String list() {
		return "forward:/admin/assets/index.html";
	}

	@GetMapping("/admin/audit")
	String audit() {
		return "forward:/admin/assets/audit.html";
	}

	@GetMapping("/admin/erasures")
	String erasures() {
		return "forward:/admin/assets/erasures.html";
	}

	@GetMapping("/admin/sessions/{code}/{sessionId}")
	String session(@PathVariable String code, @PathVariable String sessionId) {
		return "forward:/admin/assets/session.html";
	}

}
