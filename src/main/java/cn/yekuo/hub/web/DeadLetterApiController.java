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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import cn.yekuo.hub.deadletters.DeadLetter;
import cn.yekuo.hub.deadletters.DeadLetterLog;
import cn.yekuo.hub.deadletters.DeadLetterQueue;
import cn.yekuo.hub.deadletters.DeadMails;
import cn.yekuo.hub.outbox.Outbox;

/** docs/contract.md §4.10: the dead-letter queue yk.dlq, and the operators' replay and discard. */
@RestController
@RequestMapping(path = "/api/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "dead letters")
public class DeadLetterApiController {

    private final DeadLetterQueue queue;
    private final DeadLetterLog audit;
    private final DeadMails mails;

    public DeadLetterApiController(DeadLetterQueue queue, DeadLetterLog audit, DeadMails mails) {
        this.queue = queue;
        this.audit = audit;
        this.mails = mails;
    }

    @GetMapping("/mails")
    @Operation(summary = "Mails the relay gave up on and document requests set aside (§6.6, §6.7), the latest 200 first")
    public List<Outbox.DeadEntry> deadMails() {
        return mails.list();
    }

    @PostMapping("/mails/{id}/retry")
    @Operation(summary = "Tries a mail or document request given up on again, from its first attempt (role REP)",
            description = "reason optional (≤ 500); audited with the user. 404 when the entry is not given up on (unknown, "
                    + "sent, or retried already and waiting).")
    public Done retryMail(@PathVariable String id, @RequestBody(required = false) Map<String, Object> body, Principal user) {
        return retry(mails, id, body == null ? Map.of() : body, user.getName());
    }

    static Done retry(DeadMails mails, String id, Map<String, ?> fields, String user) {
        long entryId = QuarantineApiController.mailId(id);
        String reason = reason(fields);
        return mails.retry(entryId, reason, user)
                .map(e -> new Done(id, "retry", e.channel(), "outbox entry " + entryId + " waits again"))
                .orElseThrow(() -> ApiException.notFound("outbox entry " + entryId + " is not given up on"));
    }

    private static String reason(Map<String, ?> fields) {
        Object raw = fields.get("reason");
        if (raw != null && !(raw instanceof String)) {
            throw ApiException.invalid("reason", "must be a string");
        }
        String reason = (String) raw;
        if (reason != null && reason.strip().length() > DeadLetterQueue.MAX_REASON) {
            throw ApiException.invalid("reason", "at most " + DeadLetterQueue.MAX_REASON + " characters");
        }
        return reason == null || reason.isBlank() ? null : reason.strip();
    }

    @GetMapping
    @Operation(summary = "The messages on yk.dlq, newest first (at most 200 listed; total counts up to 10,000 browsed); "
            + "q: only those whose messageId, applicationNo or JMS id is q")
    public DeadLetterQueue.Listing list(@RequestParam(name = "q", required = false) String q) {
        if (q != null && q.length() > 128) {
            throw ApiException.invalid("q", "at most 128 characters");
        }
        return queue.list(q);
    }

    @GetMapping("/log")
    @Operation(summary = "The latest 200 replays and discards, newest first")
    public List<DeadLetterLog.Entry> log() {
        return audit.latest(DeadLetterQueue.MAX_LISTED);
    }

    /** A dead letter (null once it left the queue) with its body, properties and audit entries. */
    public record LetterView(String id, DeadLetter letter, String body, boolean bodyCut, Map<String, Object> properties,
                             List<DeadLetterLog.Entry> history) {
    }

    @GetMapping("/{id}")
    @Operation(summary = "One dead letter: body (UTF-8, at most 64 KiB shown), JMS properties, audit (404 when unknown)")
    public LetterView one(@PathVariable String id) {
        return view(queue, id);
    }

    /** Shared with the dashboard: the letter while it is on the queue, else its audit; 404 when neither. */
    static LetterView view(DeadLetterQueue queue, String id) {
        return queue.inspect(id)
                .map(i -> new LetterView(id, i.letter(), i.body(), i.bodyCut(), i.properties(), i.history()))
                .orElseGet(() -> {
                    List<DeadLetterLog.Entry> history = queue.history(id);
                    if (history.isEmpty()) {
                        throw ApiException.notFound("dead letter " + id + " is not on yk.dlq");
                    }
                    return new LetterView(id, null, null, false, Map.of(), history);
                });
    }

    /** The answer to an action carried out. */
    public record Done(String id, String action, String queue, String message) {
    }

    @PostMapping("/{id}/{action}")
    @Operation(summary = "An operator's action on a dead letter (role REP)",
            description = "replay {reason?}: sent back to the queue it came from (yk.billing.applications or "
                    + "yk.billing.events) without the hub's error headers, and read anew; discard {reason}: removed for "
                    + "good. Both audited with the user. 400 names the invalid field; 404 an unknown message; 409 when it "
                    + "left the queue already or came from no billing queue.")
    public Done act(@PathVariable String id, @PathVariable String action,
                    @RequestBody(required = false) Map<String, Object> body, Principal user) {
        return perform(queue, id, action, body == null ? Map.of() : body, user.getName());
    }

    /** Shared with the dashboard: the action by name, its reason checked, the queue's answer as an HTTP status. */
    static Done perform(DeadLetterQueue queue, String id, String action, Map<String, ?> fields, String user) {
        String reason = reason(fields);
        DeadLetterQueue.Result result = switch (action) {
            case "replay" -> queue.replay(id, reason, user);
            case "discard" -> queue.discard(id, reason, user);
            default -> throw ApiException.notFound("unknown action '" + action + "'");
        };
        return switch (result.status()) {
            case DONE -> new Done(id, action, result.letter().queue(), result.message());
            case INVALID -> throw new ApiException(HttpStatus.BAD_REQUEST, "VALIDATION", "reason", result.message());
            case NOT_FOUND -> throw ApiException.notFound(result.message());
            case CONFLICT -> throw new ApiException(HttpStatus.CONFLICT, "CONFLICT", null, result.message());
        };
    }
}
