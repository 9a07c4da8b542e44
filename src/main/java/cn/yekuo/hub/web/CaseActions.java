package cn.yekuo.hub.web;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import cn.yekuo.hub.assessment.AssessmentEntries;
import cn.yekuo.hub.cases.CaseAssignments;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.time.BackdateWindow;
import cn.yekuo.hub.domain.time.WorkingCalendar;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.cases.Roster;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;
import cn.yekuo.hub.process.RepresentativePorts.Answer;
import cn.yekuo.hub.process.RepresentativePorts.DocumentResend;
import cn.yekuo.hub.process.RepresentativePorts.ReplyRelease;

/**
 * Representative actions by name, shared by the API and the dashboard: input checked field by field (400), the
 * workflow's refusal passed on (409), an unknown case 404. Workflow actions go through {@link CaseProcess} as
 * {@link Actor#REPRESENTATIVE} at the hub clock's "now", recorded on the timeline under the login of the user who acted.
 */
@Service
public class CaseActions {

    private static final Logger log = LoggerFactory.getLogger(CaseActions.class);

    /** The actions of docs/contract.md §4, in the order the dashboard offers them. */
    public enum Action {
        CONFIRM_MATERIALS("confirm-materials"),
        RECORD_CONTRACT_SIGNED("record-contract-signed"),
        REQUEST_INSPECTION("request-inspection"),
        REQUEST_ACCEPTANCE("request-acceptance"),
        PAUSE("pause"),
        RESUME("resume"),
        WITHDRAW("withdraw"),
        RESEND_DOCUMENT("resend-document"),
        RELEASE_REPLY("release-reply"),
        REASSIGN("reassign"),
        NON_COOPERATION("non-cooperation"),
        WAIVE_ENTRY("waive-entry"),
        CORRECT_ENTRY("correct-entry");

        private final String path;

        Action(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        public static Action fromPath(String path) {
            for (Action a : values()) {
                if (a.path.equals(path)) {
                    return a;
                }
            }
            throw ApiException.notFound("unknown action '" + path + "'");
        }
    }

    /**
     * The actions the dashboard offers for a case in this state (the API accepts every action and answers 409 with
     * the workflow's reason when it does not fit): the workflow stays the judge, this only spares a useless click.
     */
    public List<Action> offered(cn.yekuo.hub.domain.Stage stage, boolean waitingForCustomer, boolean contractSigned,
                                boolean hasDocuments, boolean hasQuarantinedReplies) {
        List<Action> offered = new ArrayList<>();
        if (stage.isFinal()) {
            return offered;
        }
        for (Action a : Action.values()) {
            boolean fits = switch (a) {
                case CONFIRM_MATERIALS -> stage == cn.yekuo.hub.domain.Stage.RECEIVED
                        || stage == cn.yekuo.hub.domain.Stage.AWAITING_MATERIALS;
                case RECORD_CONTRACT_SIGNED -> !contractSigned && cn.yekuo.hub.domain.workflow.CaseWorkflow.acceptsFormality(
                        cn.yekuo.hub.domain.workflow.Formality.CONTRACT_SIGNED, stage);
                case REQUEST_INSPECTION, REQUEST_ACCEPTANCE -> stage == cn.yekuo.hub.domain.Stage.CONSTRUCTION;
                case PAUSE -> !waitingForCustomer && stage != cn.yekuo.hub.domain.Stage.ENERGIZED;
                case RESUME -> waitingForCustomer && stage != cn.yekuo.hub.domain.Stage.AWAITING_MATERIALS
                        && stage != cn.yekuo.hub.domain.Stage.CONTRACT;
                case WITHDRAW -> true;
                case RESEND_DOCUMENT -> hasDocuments && resend.getIfAvailable() != null;
                case RELEASE_REPLY -> hasQuarantinedReplies && release.getIfAvailable() != null;
                case REASSIGN -> assignments.roster().all().size() > 1;
                case NON_COOPERATION -> true;
                // offered per entry, in the case's assessment section, to a lead
                case WAIVE_ENTRY, CORRECT_ENTRY -> false;
            };
            if (fits) {
                offered.add(a);
            }
        }
        return offered;
    }

    /** The outcome of an action that was carried out. */
    public record Done(String caseNo, String action, String stage, String message) {
    }

    public static final int MAX_REASON = 500;
    public static final int MAX_CONTRACT_NO = 64;
    public static final int MAX_EVIDENCE = 2000;

    private final CaseProcess process;
    private final CaseStore cases;
    private final Clock clock;
    private final ObjectProvider<DocumentResend> resend;
    private final ObjectProvider<ReplyRelease> release;
    private final CaseAssignments assignments;
    private final AssessmentEntries entries;
    private final WorkingCalendar calendar;
    private final BackdateWindow backdate;
    private final ZoneId zone;

    public CaseActions(CaseProcess process, CaseStore cases, Clock clock, ObjectProvider<DocumentResend> resend,
                       ObjectProvider<ReplyRelease> release, CaseAssignments assignments, AssessmentEntries entries,
                       WorkingCalendar calendar, HubProperties hub) {
        this.assignments = assignments;
        this.entries = entries;
        this.calendar = calendar;
        this.backdate = new BackdateWindow(hub.assessment().backdateWindowDays());
        this.zone = hub.businessZone();
        this.process = process;
        this.cases = cases;
        this.clock = clock;
        this.resend = resend;
        this.release = release;
    }

    /** @param body the request's fields (JSON object or form); values are read as text */
    public Done perform(String caseNo, String actionPath, Map<String, ?> body, String user) {
        Action action = Action.fromPath(actionPath);
        if (cases.findByCaseNo(caseNo).isEmpty()) {
            throw ApiException.notFound("case " + caseNo + " is not known to the hub");
        }
        Map<String, ?> fields = body == null ? Map.of() : body;
        String outerCaseNo = MDC.get("caseNo"); // a caller's (a reply, a request) stays after this
        MDC.put("caseNo", caseNo);
        try {
            OffsetDateTime at = OffsetDateTime.now(clock);
            Actor rep = Actor.REPRESENTATIVE;
            log.info("User '{}' asks for {} on case {}", user, action.path(), caseNo);
            return switch (action) {
                case CONFIRM_MATERIALS -> apply(caseNo, user, action, new Command.ConfirmMaterials(at, rep));
                case RECORD_CONTRACT_SIGNED -> apply(caseNo, user, action,
                        new Command.SignContract(at, rep, text(fields, "contractNo", MAX_CONTRACT_NO)));
                case REQUEST_INSPECTION -> apply(caseNo, user, action, new Command.RequestInspection(at, rep));
                case REQUEST_ACCEPTANCE -> apply(caseNo, user, action, new Command.RequestAcceptance(at, rep));
                case PAUSE -> apply(caseNo, user, action, new Command.PauseForCustomer(at, rep, text(fields, "reason", MAX_REASON),
                        from(fields, at)));
                case RESUME -> apply(caseNo, user, action, new Command.ResumeFromCustomer(at, rep));
                case WITHDRAW -> apply(caseNo, user, action, new Command.Withdraw(at, rep, text(fields, "reason", MAX_REASON)));
                case RESEND_DOCUMENT -> {
                    long id = id(fields, "documentId");
                    DocumentResend port = resend.getIfAvailable();
                    if (port == null) {
                        throw new ApiException(HttpStatus.NOT_IMPLEMENTED, "NOT_AVAILABLE", null,
                                "resending documents is not available yet: the hub does not archive documents so far");
                    }
                    yield delegated(caseNo, action, port.resend(caseNo, id, user));
                }
                case RELEASE_REPLY -> {
                    long id = id(fields, "mailId");
                    ReplyRelease port = release.getIfAvailable();
                    if (port == null) {
                        throw new ApiException(HttpStatus.NOT_IMPLEMENTED, "NOT_AVAILABLE", null,
                                "releasing quarantined replies is not available yet: the hub does not keep incoming mail so far");
                    }
                    yield delegated(caseNo, action, port.release(caseNo, id, user));
                }
                case REASSIGN -> reassign(caseNo, fields, user);
                case NON_COOPERATION -> assessment(caseNo, action, () -> {
                    String unit = text(fields, "unit", 64);
                    String reason = text(fields, "reason", MAX_REASON);
                    String evidence = text(fields, "evidence", MAX_EVIDENCE);
                    long id = entries.nonCooperation(caseNo, unit, reason, evidence, optionalId(fields, "mailId"),
                            optionalId(fields, "documentId"), user);
                    return "entry " + id + ": " + unit + " charged for not cooperating";
                });
                case WAIVE_ENTRY -> assessment(caseNo, action, () -> {
                    long id = id(fields, "entryId");
                    String reason = text(fields, "reason", MAX_REASON);
                    lead(user);
                    entries.waive(caseNo, id, reason, user);
                    return "entry " + id + " waived";
                });
                case CORRECT_ENTRY -> assessment(caseNo, action, () -> {
                    long id = id(fields, "entryId");
                    java.math.BigDecimal deduction = optionalPoints(fields, "deduction");
                    String unit = blank(fields.get("unit")) ? null : text(fields, "unit", 64);
                    String reason = text(fields, "reason", MAX_REASON);
                    lead(user);
                    entries.correct(caseNo, id, deduction, unit, reason, user);
                    return "entry " + id + " corrected";
                });
            };
        } finally {
            if (outerCaseNo == null) {
                MDC.remove("caseNo");
            } else {
                MDC.put("caseNo", outerCaseNo);
            }
        }
    }

    private Done apply(String caseNo, String user, Action action, Command command) {
        CommandResult result = process.byCaseNo(caseNo, command, CaseProcess.Source.NONE, user);
        if (result instanceof CommandResult.Applied applied) {
            return new Done(caseNo, action.path(), applied.state().stage().name(), "applied");
        }
        if (result instanceof CommandResult.Refused refused) {
            if ("UNKNOWN_CASE".equals(refused.code())) {
                throw ApiException.notFound(refused.message());
            }
            throw new ApiException(HttpStatus.CONFLICT, refused.code(), null, refused.message());
        }
        throw new ApiException(HttpStatus.CONFLICT, "DUPLICATE", null, "already applied");
    }

    /** Another representative takes the case: both fields checked before anything changes. */
    private Done reassign(String caseNo, Map<String, ?> fields, String user) {
        String id = text(fields, "representative", 64);
        String reason = text(fields, "reason", MAX_REASON);
        Roster.Representative to = assignments.roster().byId(id).orElseThrow(() -> ApiException.invalid("representative",
                "is not a representative of the roster " + assignments.roster().all().stream().map(Roster.Representative::id).toList()));
        Roster.Representative from = assignments.ofCase(caseNo);
        if (from.id().equals(to.id())) {
            throw new ApiException(HttpStatus.CONFLICT, "ALREADY_ASSIGNED", null,
                    "case " + caseNo + " is already " + to.id() + "'s");
        }
        CaseAssignments.Reassigned done = assignments.reassign(caseNo, to, reason, user)
                .orElseThrow(() -> ApiException.notFound("case " + caseNo + " is not known to the hub"));
        return new Done(caseNo, Action.REASSIGN.path(), cases.findByCaseNo(caseNo).map(c -> c.stage().name()).orElse(null),
                "reassigned from " + done.from().id() + " to " + done.to().id());
    }

    /** How many working days back a pause may be dated (the case page says so beside the field). */
    public int backdateDays() {
        return backdate.workingDays();
    }

    /** Only a team lead (yk.representatives[].lead) waives or corrects a charge: the assessment is the company's, not the case's. */
    private void lead(String user) {
        if (assignments.roster().byUser(user).filter(Roster.Representative::lead).isEmpty()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "NOT_LEAD", null,
                    "only a lead representative (yk.representatives[].lead) may waive or correct an assessment entry");
        }
    }

    private Done assessment(String caseNo, Action action, java.util.function.Supplier<String> work) {
        try {
            String message = work.get();
            return new Done(caseNo, action.path(), cases.findByCaseNo(caseNo).map(c -> c.stage().name()).orElse(null), message);
        } catch (AssessmentEntries.Refused r) {
            throw switch (r.code()) {
                case "NOT_FOUND" -> ApiException.notFound(r.getMessage());
                case "VALIDATION" -> ApiException.invalid(r.field(), r.getMessage());
                default -> new ApiException(HttpStatus.CONFLICT, r.code(), r.field(), r.getMessage());
            };
        }
    }

    private static final java.util.List<java.time.format.DateTimeFormatter> LOCAL_TIMES = java.util.List.of(
            java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME, java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));

    /**
     * A pause's optional start: ISO-8601 with offset, or a local time of the business zone ({@code 2026-12-01T09:30} as an
     * HTML datetime-local sends it, {@code 2026-12-01 09:30}); null when absent. Within the back-date window, else 400.
     */
    OffsetDateTime from(Map<String, ?> fields, OffsetDateTime now) {
        Object value = fields.get("from");
        if (blank(value)) {
            return null;
        }
        String v = value.toString().strip();
        OffsetDateTime from = null;
        try {
            from = OffsetDateTime.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            for (java.time.format.DateTimeFormatter f : LOCAL_TIMES) {
                try {
                    from = java.time.LocalDateTime.parse(v, f).atZone(zone).toOffsetDateTime();
                    break;
                } catch (java.time.format.DateTimeParseException ignored) {
                    // next form
                }
            }
        }
        if (from == null) {
            throw ApiException.invalid("from", "must be a time like 2026-12-01T09:30 (" + zone + ") or ISO-8601 with offset");
        }
        String refusal = backdate.refusal(from, now, calendar, zone);
        if (refusal != null) {
            throw ApiException.invalid("from", refusal);
        }
        return from;
    }

    private static boolean blank(Object value) {
        return value == null || (value instanceof String s && s.isBlank());
    }

    private static Long optionalId(Map<String, ?> fields, String name) {
        return blank(fields.get(name)) ? null : id(fields, name);
    }

    private static java.math.BigDecimal optionalPoints(Map<String, ?> fields, String name) {
        Object value = fields.get(name);
        if (blank(value)) {
            return null;
        }
        try {
            return new java.math.BigDecimal(value.toString().strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "must be a number of points, e.g. 0.5");
        }
    }

    private Done delegated(String caseNo, Action action, Answer answer) {
        return switch (answer.status()) {
            case DONE -> new Done(caseNo, action.path(), cases.findByCaseNo(caseNo).map(c -> c.stage().name()).orElse(null),
                    answer.message());
            case NOT_FOUND -> throw ApiException.notFound(answer.message());
            case CONFLICT -> throw new ApiException(HttpStatus.CONFLICT, "CONFLICT", null, answer.message());
        };
    }

    static String text(Map<String, ?> fields, String name, int max) {
        Object value = fields.get(name);
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw ApiException.invalid(name, "is required");
        }
        if (!(value instanceof String s)) {
            throw ApiException.invalid(name, "must be text");
        }
        String v = s.strip();
        if (v.codePointCount(0, v.length()) > max) {
            throw ApiException.invalid(name, "must be at most " + max + " characters");
        }
        if (v.chars().anyMatch(ch -> Character.isISOControl(ch) && ch != '\n' && ch != '\r' && ch != '\t')) {
            throw ApiException.invalid(name, "must not contain control characters");
        }
        return v;
    }

    static long id(Map<String, ?> fields, String name) {
        Object value = fields.get(name);
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw ApiException.invalid(name, "is required");
        }
        try {
            long id = value instanceof Number n && !(value instanceof Double || value instanceof Float)
                    ? n.longValue() : Long.parseLong(value.toString().strip());
            if (id < 1) {
                throw ApiException.invalid(name, "must be a positive whole number");
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "must be a positive whole number");
        }
    }
}
