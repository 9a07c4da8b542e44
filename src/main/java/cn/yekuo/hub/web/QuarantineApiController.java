package cn.yekuo.hub.web;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import cn.yekuo.hub.quarantine.QuarantineLog;
import cn.yekuo.hub.quarantine.QuarantineQueue;

/** docs/contract.md §4.4: the quarantine queue and the representatives' actions on a quarantined mail. */
@RestController
@RequestMapping(path = "/api/quarantine", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "quarantine")
public class QuarantineApiController {

    private final QuarantineQueue queue;

    public QuarantineApiController(QuarantineQueue queue) {
        this.queue = queue;
    }

    @GetMapping
    @Operation(summary = "Every mail in quarantine, newest first (at most 200 listed; total counts them all)")
    public QuarantineQueue.Queue list() {
        return queue.list();
    }

    /** A quarantined mail (or one that was) with what representatives did with it. */
    public record MailView(long id, QuarantineQueue.Item mail, List<QuarantineLog.Entry> history) {
    }

    @GetMapping("/{id}")
    @Operation(summary = "One mail of the queue and its audit entries (404 when it was never quarantined)")
    public MailView one(@PathVariable String id) {
        long mailId = mailId(id);
        List<QuarantineLog.Entry> history = queue.history(mailId);
        QuarantineQueue.Item item = queue.find(mailId).orElse(null);
        if (item == null && history.isEmpty()) {
            throw ApiException.notFound("mail " + mailId + " is not in quarantine");
        }
        return new MailView(mailId, item, history);
    }

    /** The answer to an action carried out. */
    public record Done(long id, String action, String caseNo, String message) {
    }

    @PostMapping("/{id}/{action}")
    @Operation(summary = "A representative's action on a quarantined mail (role REP)",
            description = "release (a reply the hub can check: re-validated and applied, its case advances), "
                    + "attach {caseNo, note} (kept as correspondence of the case), discard {reason} (reason required). "
                    + "400 names the invalid field; 404 an unknown mail; 409 when the mail left the queue already or "
                    + "cannot be released.")
    public Done act(@PathVariable String id, @PathVariable String action,
                    @RequestBody(required = false) Map<String, Object> body, Principal user) {
        return perform(queue, mailId(id), action, body == null ? Map.of() : body, user.getName());
    }

    /** Shared with the dashboard: the action by name, its fields checked, the queue's answer as an HTTP status. */
    static Done perform(QuarantineQueue queue, long id, String action, Map<String, ?> fields, String user) {
        QuarantineQueue.Result result = switch (action) {
            case "release" -> queue.release(id, user);
            case "attach" -> queue.attach(id, CaseActions.text(fields, "caseNo", 20),
                    optionalText(fields, "note", QuarantineQueue.MAX_NOTE), user);
            case "discard" -> queue.discard(id, CaseActions.text(fields, "reason", QuarantineQueue.MAX_REASON), user);
            default -> throw ApiException.notFound("unknown action '" + action + "'");
        };
        return switch (result.status()) {
            case DONE -> new Done(id, action, result.caseNo(), result.message());
            case INVALID -> throw new ApiException(HttpStatus.BAD_REQUEST, "VALIDATION", result.field(), result.message());
            case NOT_FOUND -> throw ApiException.notFound(result.message());
            case CONFLICT -> throw new ApiException(HttpStatus.CONFLICT, "CONFLICT", null, result.message());
        };
    }

    static long mailId(String id) {
        try {
            long n = Long.parseLong(id.strip());
            if (n < 1) {
                throw ApiException.invalid("id", "must be a positive whole number");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("id", "must be a positive whole number");
        }
    }

    private static String optionalText(Map<String, ?> fields, String name, int max) {
        Object value = fields.get(name);
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        return CaseActions.text(fields, name, max);
    }
}
