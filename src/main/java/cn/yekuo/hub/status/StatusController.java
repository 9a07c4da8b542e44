package cn.yekuo.hub.status;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import cn.yekuo.hub.documents.CaseDocuments;

/**
 * The customer's status page (docs/contract.md §4.10): no login, one case per signed link. An unknown, changed or
 * expired token, and a document of another case, are all answered by the same 404 that names nothing.
 */
@Controller
public class StatusController {

    private final StatusPages pages;

    public StatusController(StatusPages pages) {
        this.pages = pages;
    }

    @GetMapping("/status/{token}")
    public String page(@PathVariable String token, Model model, HttpServletResponse response) {
        Optional<StatusPages.View> view = pages.view(token);
        if (view.isEmpty()) {
            return missing(response);
        }
        model.addAttribute("s", view.get());
        return "status";
    }

    @GetMapping("/status/{token}/documents/{id}")
    public Object document(@PathVariable String token, @PathVariable String id, Model model, HttpServletResponse response) {
        Optional<CaseDocuments.DocumentFile> file = parse(id).flatMap(n -> pages.document(token, n));
        if (file.isEmpty()) {
            return missing(response);
        }
        CaseDocuments.DocumentFile f = file.get();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(f.contentType() == null ? "application/pdf" : f.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(f.fileName(), StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .body(f.content());
    }

    private static String missing(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        return "status-missing";
    }

    private static Optional<Long> parse(String id) {
        if (id == null || id.isEmpty() || id.length() > 18 || !id.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(id));
    }
}
