package cn.yekuo.hub.replies;

import cn.yekuo.hub.replies.grammar.ParsedReply;
import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.replies.grammar.ReplyGrammar;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import cn.yekuo.hub.replies.grammar.ReplyResult;
import cn.yekuo.hub.tokens.HandoffToken;
import cn.yekuo.hub.tokens.TokenCheck;
import cn.yekuo.hub.tokens.TokenRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import cn.yekuo.hub.domain.TaskKind;

import static cn.yekuo.hub.replies.grammar.ReplyResult.APPROVED;
import static cn.yekuo.hub.replies.grammar.ReplyResult.COMPLETED;
import static cn.yekuo.hub.replies.grammar.ReplyResult.DONE;
import static cn.yekuo.hub.replies.grammar.ReplyResult.FAILED;
import static cn.yekuo.hub.replies.grammar.ReplyResult.INSPECTION_REQUESTED;
import static cn.yekuo.hub.replies.grammar.ReplyResult.REJECTED;

/**
 * Decides whether a unit's reply can act on the task it addresses (docs/contract.md §2): automatic mail,
 * exactly one token, case and task, sender allow-list, the receiving server's authentication (when on), open
 * task, then the content against the task's expected results and required fields. Envelope problems stop at
 * the first; content problems are all listed, so the unit can fix everything in one go.
 */
public final class ReplyValidator {

    /** Expected RESULT values per task, docs/contract.md §2's task table. */
    static final Map<TaskKind, Set<ReplyResult>> EXPECTED_RESULTS = contractTable();

    /** Tasks whose negative result must list the defects the rectification task will fix ("+DEFECTS"). */
    public static final Set<TaskKind> DEFECTS_WITH_NEGATIVE_RESULT =
            EnumSet.of(TaskKind.DESIGN_REVIEW, TaskKind.MID_INSPECTION, TaskKind.COMPLETION_ACCEPTANCE,
                    TaskKind.COMPLETION_ACCEPTANCE_MARKETING, TaskKind.ENERGIZATION, TaskKind.ENERGIZATION_PRODUCTION,
                    TaskKind.ENERGIZATION_MARKETING, TaskKind.ENERGIZATION_CONSTRUCTION);

    /**
     * The longest value kept per key, in characters (docs/contract.md §2.3). Free text (NOTE, DEFECTS) is stored whole
     * in unbounded columns; the other values are printed on documents and hand-offs. A longer value is quarantined.
     */
    static final Map<ReplyKey, Integer> MAX_CHARS = maxChars();

    private final HandoffToken tokens;
    private final TaskDirectory directory;
    private final AuthenticationResults authentication;
    private final ReplyGrammar grammar = new ReplyGrammar();

    public ReplyValidator(HandoffToken tokens, TaskDirectory directory) {
        this(tokens, directory, AuthenticationResults.off());
    }

    public ReplyValidator(HandoffToken tokens, TaskDirectory directory, AuthenticationResults authentication) {
        this.tokens = tokens;
        this.directory = directory;
        this.authentication = authentication;
    }

    public Verdict validate(UnitReply reply) {
        return validate(reply, true, null);
    }

    /** As {@link #validate(UnitReply)}, with the body already parsed (within the reader's time budget). */
    public Verdict validate(UnitReply reply, ParsedReply parsed) {
        return validate(reply, true, parsed);
    }

    /**
     * For a quarantined reply a representative vouches for after checking it: the sender allow-list and the
     * automatic-reply check are waived (the representative has checked who sent it and that a person wrote it); the
     * token, case, open task, result and required fields are still checked.
     */
    public Verdict validateVouched(UnitReply reply) {
        return validate(reply, false, null);
    }

    private Verdict validate(UnitReply reply, boolean checkSender, ParsedReply parsedBody) {
        if (checkSender && reply.autoReplySign().isPresent()) {
            return quarantine(reply, Rejection.autoReply(reply.autoReplySign().get()));
        }
        TokenCheck token = tokens.check(reply.subject());
        if (token.status() == TokenCheck.Status.NONE) {
            return quarantine(reply, Rejection.noToken());
        }
        if (token.status() == TokenCheck.Status.SEVERAL) {
            return quarantine(reply, Rejection.severalTokens(token.distinct()));
        }
        if (token.status() == TokenCheck.Status.FORGED) {
            return quarantine(reply, Rejection.forgedToken(token.token().orElseThrow()));
        }
        if (!(token.token().orElseThrow() instanceof TokenRef.Task task)) {
            return quarantine(reply, Rejection.notATaskToken(token.token().get()));
        }
        Optional<TaskDirectory.AddressedTask> addressed = directory.task(task.caseNo(), task.taskNo());
        if (addressed.isEmpty()) {
            return quarantine(reply, Rejection.unknownCase(task.caseNo(), task.taskNo()));
        }
        TaskDirectory.AddressedTask target = addressed.get();
        // a 6-hex token is a 24-bit guess unless the task's hand-off carried one (opened before the cut-over)
        if (task.isLegacy() && !directory.acceptsLegacyToken(task.caseNo(), task.taskNo())) {
            return quarantine(reply, Rejection.legacyToken(task));
        }
        if (checkSender && !isAllowed(reply.sender(), target.allowedSenders())) {
            return quarantine(reply, Rejection.senderNotAllowed(reply.sender(), target.unitName()));
        }
        if (checkSender) {
            Optional<String> unauthenticated = authentication.refusal(reply.authenticationResults(), reply.sender());
            if (unauthenticated.isPresent()) {
                return quarantine(reply, Rejection.senderNotAuthenticated(reply.sender(), unauthenticated.get()));
            }
        }
        // a 6-hex-digit token of a task opened before the cut-over is good only while the task is open, like any
        if (!target.open()) {
            return quarantine(reply, Rejection.taskClosed(task.caseNo(), task.taskNo()));
        }
        ParsedReply parsed = parsedBody != null ? parsedBody : grammar.parse(reply.body());
        List<Rejection> problems = checkContent(target.kind(), parsed, reply.attachments().size());
        return problems.isEmpty()
                ? new Verdict.Accepted(reply, task, target.kind(), parsed)
                : new Verdict.Quarantined(reply, problems);
    }

    /**
     * The content rules alone, for callers that already know the task: a body with fields, readable
     * values, a result the task expects, and the fields that result requires.
     */
    public static List<Rejection> checkContent(TaskKind kind, ParsedReply parsed, int attachmentCount) {
        List<Rejection> problems = new ArrayList<>();
        if (parsed.isEmpty()) {
            problems.add(Rejection.emptyBody());
            return problems;
        }
        problems.addAll(parsed.problems());
        for (ReplyKey key : ReplyKey.values()) {
            int length = parsed.text(key).map(String::length).orElse(0);
            if (length > MAX_CHARS.get(key)) {
                problems.add(Rejection.fieldTooLong(key, length, MAX_CHARS.get(key)));
            }
        }
        if (!parsed.has(ReplyKey.RESULT)) {
            problems.add(Rejection.missingField(ReplyKey.RESULT));
            return problems;
        }
        Optional<ReplyResult> result = parsed.result();
        if (result.isEmpty()) {
            return problems; // the UNKNOWN_RESULT is already among the grammar's problems
        }
        Set<ReplyResult> expected = EXPECTED_RESULTS.get(kind);
        if (!expected.contains(result.get())) {
            problems.add(Rejection.resultNotExpected(result.get(), kind, expected));
            return problems;
        }
        if (result.get().isPositive()) {
            for (String field : kind.requiredFields()) {
                ReplyKey key = ReplyKey.valueOf(field);
                if (!parsed.has(key)) {
                    problems.add(Rejection.missingField(key));
                }
            }
            if (kind == TaskKind.SCHEME_BUSINESS && parsed.assetTransfer().isPresent()) {
                boolean transfer = parsed.assetTransfer().get();
                if (transfer && !parsed.has(ReplyKey.ASSET)) {
                    problems.add(Rejection.assetsMissing());
                } else if (!transfer && parsed.has(ReplyKey.ASSET)) {
                    problems.add(Rejection.assetsWithoutTransfer());
                }
            }
            if (kind == TaskKind.DESIGN && attachmentCount == 0) {
                problems.add(Rejection.missingDesignFiles());
            }
        } else if (DEFECTS_WITH_NEGATIVE_RESULT.contains(kind) && parsed.defects().isEmpty()) {
            problems.add(Rejection.missingField(ReplyKey.DEFECTS));
        }
        return problems;
    }

    /** The longest value kept for {@code key}, in characters (docs/contract.md §2.3). */
    public static int maxChars(ReplyKey key) {
        return MAX_CHARS.get(key);
    }

    private static boolean isAllowed(String sender, Set<String> allowList) {
        String normalised = sender.toLowerCase(Locale.ROOT);
        return allowList.stream().anyMatch(allowed -> allowed.trim().toLowerCase(Locale.ROOT).equals(normalised));
    }

    private static Verdict quarantine(UnitReply reply, Rejection reason) {
        return new Verdict.Quarantined(reply, List.of(reason));
    }

    private static Map<ReplyKey, Integer> maxChars() {
        Map<ReplyKey, Integer> max = new EnumMap<>(ReplyKey.class);
        for (ReplyKey key : ReplyKey.values()) {
            max.put(key, 500);
        }
        max.put(ReplyKey.NOTE, 20_000);
        max.put(ReplyKey.DEFECTS, 20_000);
        max.put(ReplyKey.METER_NO, 64); // case_task and documents print it as given
        for (ReplyKey key : ReplyKey.values()) {
            if (key.isList()) {
                max.put(key, 4_000); // several lines of at most 200 characters each (SchemeItems)
            }
        }
        return Collections.unmodifiableMap(max);
    }

    private static Map<TaskKind, Set<ReplyResult>> contractTable() {
        Map<TaskKind, Set<ReplyResult>> expected = new EnumMap<>(TaskKind.class);
        expected.put(TaskKind.SCHEME_TECHNICAL, EnumSet.of(APPROVED, REJECTED));
        expected.put(TaskKind.SCHEME_BUSINESS, EnumSet.of(APPROVED, REJECTED));
        expected.put(TaskKind.DESIGN, EnumSet.of(DONE));
        expected.put(TaskKind.DESIGN_REVIEW, EnumSet.of(APPROVED, REJECTED));
        expected.put(TaskKind.CONSTRUCTION, EnumSet.of(INSPECTION_REQUESTED, COMPLETED));
        expected.put(TaskKind.MID_INSPECTION, EnumSet.of(APPROVED, FAILED));
        expected.put(TaskKind.RECTIFICATION, EnumSet.of(DONE));
        expected.put(TaskKind.COMPLETION_ACCEPTANCE, EnumSet.of(APPROVED, FAILED));
        expected.put(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, EnumSet.of(APPROVED, FAILED));
        expected.put(TaskKind.ENERGIZATION, EnumSet.of(DONE, FAILED));
        expected.put(TaskKind.ENERGIZATION_PRODUCTION, EnumSet.of(DONE, FAILED));
        expected.put(TaskKind.ENERGIZATION_MARKETING, EnumSet.of(DONE, FAILED));
        expected.put(TaskKind.ENERGIZATION_CONSTRUCTION, EnumSet.of(DONE, FAILED));
        for (TaskKind kind : TaskKind.values()) {
            if (!expected.containsKey(kind)) {
                throw new IllegalStateException("no expected results for " + kind);
            }
        }
        expected.replaceAll((kind, results) -> Collections.unmodifiableSet(results));
        return Collections.unmodifiableMap(expected);
    }

    /** The results a task accepts, in the order of {@link ReplyResult}. */
    public static Set<ReplyResult> expectedResults(TaskKind kind) {
        return EXPECTED_RESULTS.get(kind);
    }
}
