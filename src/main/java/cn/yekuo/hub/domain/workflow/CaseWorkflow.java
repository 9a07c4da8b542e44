package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.time.Node;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.ServiceType;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.workflow.Command.Accept;
import cn.yekuo.hub.domain.workflow.Command.ClearArrears;
import cn.yekuo.hub.domain.workflow.Command.CloseAfterReturnVisit;
import cn.yekuo.hub.domain.workflow.Command.CompleteTask;
import cn.yekuo.hub.domain.workflow.Command.ConfirmMaterials;
import cn.yekuo.hub.domain.workflow.Command.ExpireScheme;
import cn.yekuo.hub.domain.workflow.Command.PauseForCustomer;
import cn.yekuo.hub.domain.workflow.Command.RequestAcceptance;
import cn.yekuo.hub.domain.workflow.Command.RequestInspection;
import cn.yekuo.hub.domain.workflow.Command.ResumeFromCustomer;
import cn.yekuo.hub.domain.workflow.Command.SettleFees;
import cn.yekuo.hub.domain.workflow.Command.SignContract;
import cn.yekuo.hub.domain.workflow.Command.SupplementMaterials;
import cn.yekuo.hub.domain.workflow.Command.Withdraw;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;
import cn.yekuo.hub.domain.workflow.Outcome.Transition;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.COMPLETED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static cn.yekuo.hub.domain.workflow.TaskResult.FAILED;
import static cn.yekuo.hub.domain.workflow.TaskResult.INSPECTION_REQUESTED;
import static cn.yekuo.hub.domain.workflow.TaskResult.REJECTED;

/**
 * The process manager of a case (业扩报装): a pure function from (snapshot, command) to either a
 * refusal or a transition (next snapshot and effects in the order they happened). Holds no state;
 * persistence, messaging, mail and deadlines are done by whoever applies the effects.
 */
public final class CaseWorkflow {

    /** Business time zone, used to read {@code ENERGIZED_AT} written without an offset. */
    private final ZoneId zone;

    /** @param zone the business time zone ({@code yk.business-zone}) */
    public CaseWorkflow(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The scheme fields kept on the case, in the order of the reply letter. */
    public static final List<String> SCHEME_FIELDS;

    static {
        List<String> f = new ArrayList<>(TaskKind.SCHEME_TECHNICAL.requiredFields());
        f.addAll(TaskKind.SCHEME_TECHNICAL.optionalFields());
        f.addAll(TaskKind.SCHEME_BUSINESS.requiredFields());
        f.addAll(TaskKind.SCHEME_BUSINESS.optionalFields());
        SCHEME_FIELDS = List.copyOf(f);
    }

    private static final Map<TaskKind, Set<TaskResult>> EXPECTED = new EnumMap<>(TaskKind.class);

    static {
        EXPECTED.put(TaskKind.SCHEME_TECHNICAL, EnumSet.of(APPROVED, REJECTED));
        EXPECTED.put(TaskKind.SCHEME_BUSINESS, EnumSet.of(APPROVED, REJECTED));
        EXPECTED.put(TaskKind.DESIGN, EnumSet.of(DONE));
        EXPECTED.put(TaskKind.DESIGN_REVIEW, EnumSet.of(APPROVED, REJECTED));
        EXPECTED.put(TaskKind.CONSTRUCTION, EnumSet.of(INSPECTION_REQUESTED, COMPLETED));
        EXPECTED.put(TaskKind.MID_INSPECTION, EnumSet.of(APPROVED, FAILED));
        EXPECTED.put(TaskKind.RECTIFICATION, EnumSet.of(DONE));
        EXPECTED.put(TaskKind.COMPLETION_ACCEPTANCE, EnumSet.of(APPROVED, FAILED));
        EXPECTED.put(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, EnumSet.of(APPROVED, FAILED));
        EXPECTED.put(TaskKind.ENERGIZATION, EnumSet.of(DONE, FAILED));
        EXPECTED.put(TaskKind.ENERGIZATION_PRODUCTION, EnumSet.of(DONE, FAILED));
        EXPECTED.put(TaskKind.ENERGIZATION_MARKETING, EnumSet.of(DONE, FAILED));
        EXPECTED.put(TaskKind.ENERGIZATION_CONSTRUCTION, EnumSet.of(DONE, FAILED));
    }

    /** The joint completion acceptance: production (生技) leads, marketing (用电) accepts with it (docs/domain.md step 4). */
    public static final List<TaskKind> ACCEPTANCE_ROUND =
            List.of(TaskKind.COMPLETION_ACCEPTANCE, TaskKind.COMPLETION_ACCEPTANCE_MARKETING);
    /** The joint energization: customer-center leads (meter, time), production, marketing and construction take part. */
    public static final List<TaskKind> ENERGIZATION_ROUND = List.of(TaskKind.ENERGIZATION, TaskKind.ENERGIZATION_PRODUCTION,
            TaskKind.ENERGIZATION_MARKETING, TaskKind.ENERGIZATION_CONSTRUCTION);

    /** The joint round a task kind belongs to, or the kind alone. */
    public static List<TaskKind> roundOf(TaskKind kind) {
        if (ACCEPTANCE_ROUND.contains(kind)) {
            return ACCEPTANCE_ROUND;
        }
        return ENERGIZATION_ROUND.contains(kind) ? ENERGIZATION_ROUND : List.of(kind);
    }

    /**
     * The tasks of the round a task was opened in: the round's kinds opened in the same step. A case from before the
     * joint tasks has a round of its one task.
     */
    public static List<Task> round(CaseState state, Task task) {
        List<TaskKind> kinds = roundOf(task.kind());
        return state.tasks().stream().filter(t -> kinds.contains(t.kind()) && t.openedAt().equals(task.openedAt())).toList();
    }

    /** Stages in which fees and arrears are accepted: settled early, they are only acted on after the acceptance. */
    private static final Set<Stage> FORMALITY_STAGES =
            EnumSet.of(Stage.SCHEME, Stage.DESIGN, Stage.CONSTRUCTION, Stage.ACCEPTANCE, Stage.CONTRACT);
    /** The contract is signed after a passed acceptance: its document does not exist before CONTRACT. */
    private static final Set<Stage> CONTRACT_SIGNING_STAGES = EnumSet.of(Stage.CONTRACT);

    /** Whether a formality (billing's event or a representative's record of it) fits a case in this stage. */
    public static boolean acceptsFormality(Formality kind, Stage stage) {
        return acceptedStages(kind).contains(stage);
    }

    private static Set<Stage> acceptedStages(Formality kind) {
        return kind == Formality.CONTRACT_SIGNED ? CONTRACT_SIGNING_STAGES : FORMALITY_STAGES;
    }

    /** The results a task kind expects (docs/contract.md §2). */
    public static Set<TaskResult> expectedResults(TaskKind kind) {
        return Set.copyOf(EXPECTED.get(kind));
    }

    // ------------------------------------------------------------------ factories for the intake

    /** A new case whose materials are complete: RECEIVED → ACCEPTED → SCHEME, two scheme tasks. */
    public static Transition openAccepted(String caseNo, ServiceType type, int powerSources,
                                          OffsetDateTime at, Actor actor) {
        Step s = new Step(CaseState.received(caseNo, type, powerSources, Set.of()), at, actor);
        accept(s); // nothing is missing: accepting refuses nothing
        return s.transition();
    }

    /** A new case whose materials are incomplete: RECEIVED → AWAITING_MATERIALS, waiting for the customer. */
    public static Transition openAwaitingMaterials(String caseNo, ServiceType type, int powerSources,
                                                   Collection<Material> missing, OffsetDateTime at, Actor actor) {
        if (missing.isEmpty()) {
            throw new IllegalArgumentException("no material missing: use openAccepted");
        }
        Step s = new Step(CaseState.received(caseNo, type, powerSources, missing), at, actor);
        String reason = materialsReason(s.state.missingMaterials());
        s.timeline("MATERIALS_MISSING", "资料不全: " + names(s.state.missingMaterials()));
        s.changeStage(Stage.AWAITING_MATERIALS, reason);
        s.startWait(reason);
        return s.transition();
    }

    // ------------------------------------------------------------------ apply

    public Outcome apply(CaseState state, Command command) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(command, "command");
        Step s = new Step(state, command.at(), command.actor());
        if (command instanceof CompleteTask t) {
            s.answeredAt = t.answeredAt();
        }
        try {
            if (state.stage().isFinal()) {
                throw refuse(Refused.INVALID_STATE,
                        "case " + state.caseNo() + " is " + state.stage() + ": it takes no more commands");
            }
            dispatch(s, command);
            return s.transition();
        } catch (Refusal r) {
            return new Refused(r.code, r.getMessage());
        }
    }

    // Java 17: no pattern matching for switch, hence the instanceof chain.
    private void dispatch(Step s, Command c) {
        if (c instanceof Accept) {
            accept(s);
        } else if (c instanceof ConfirmMaterials) {
            confirmMaterials(s);
        } else if (c instanceof SupplementMaterials m) {
            supplement(s, m.materials());
        } else if (c instanceof CompleteTask t) {
            completeTask(s, t.taskNo(), t.result(), t.fields());
        } else if (c instanceof RequestInspection) {
            constructionReply(s, INSPECTION_REQUESTED, "INSPECTION_REQUESTED");
        } else if (c instanceof RequestAcceptance) {
            constructionReply(s, COMPLETED, "ACCEPTANCE_REQUESTED");
        } else if (c instanceof SettleFees f) {
            formality(s, Formality.FEES_SETTLED, "缴费 " + f.amount().toPlainString() + " 元");
            s.state = s.state.withFormalities(s.state.formalities().withFees(f.amount(), s.at));
            afterFormality(s);
        } else if (c instanceof SignContract k) {
            formality(s, Formality.CONTRACT_SIGNED, "合同 " + k.contractNo());
            s.state = s.state.withFormalities(s.state.formalities().withContract(k.contractNo(), s.at));
            afterFormality(s);
        } else if (c instanceof ClearArrears) {
            formality(s, Formality.ARREARS_CLEARED, "欠费已结清");
            s.state = s.state.withFormalities(s.state.formalities().withArrearsCleared(s.at));
            afterFormality(s);
        } else if (c instanceof PauseForCustomer p) {
            pause(s, p.reason(), p.from());
        } else if (c instanceof ResumeFromCustomer) {
            resume(s);
        } else if (c instanceof Withdraw w) {
            withdraw(s, w.reason());
        } else if (c instanceof CloseAfterReturnVisit) {
            close(s);
        } else if (c instanceof ExpireScheme) {
            expireScheme(s);
        } else {
            throw new IllegalArgumentException("unknown command " + c);
        }
    }

    // ------------------------------------------------------------------ application

    private static void accept(Step s) {
        requireStage(s, "accept", Stage.RECEIVED, Stage.AWAITING_MATERIALS);
        if (!s.state.missingMaterials().isEmpty()) {
            throw refuse(Refused.MATERIALS_MISSING, "materials still missing: " + names(s.state.missingMaterials()));
        }
        s.timeline("ACCEPTED", "资料齐全，受理");
        enterScheme(s);
    }

    private void confirmMaterials(Step s) {
        requireStage(s, "confirm materials", Stage.RECEIVED, Stage.AWAITING_MATERIALS);
        s.timeline("MATERIALS_CONFIRMED", "客户代表确认资料齐全"
                + (s.state.missingMaterials().isEmpty() ? "" : " (曾缺: " + names(s.state.missingMaterials()) + ")"));
        s.state = s.state.withMissingMaterials(Set.of());
        enterScheme(s);
    }

    private void supplement(Step s, Set<Material> supplied) {
        requireStage(s, "supplement materials", Stage.AWAITING_MATERIALS);
        EnumSet<Material> missing = EnumSet.noneOf(Material.class);
        missing.addAll(s.state.missingMaterials());
        missing.removeAll(supplied);
        // Supplying something not missing is not an error: it is recorded and changes nothing else.
        s.timeline("MATERIALS_SUPPLEMENTED", "补充: " + names(supplied)
                + (missing.isEmpty() ? "; 资料齐全" : "; 仍缺: " + names(missing)));
        s.state = s.state.withMissingMaterials(missing);
        if (missing.isEmpty()) {
            enterScheme(s);
        }
    }

    private static void enterScheme(Step s) {
        if (s.state.isWaitingForCustomer()) {
            s.endWait();
        }
        s.changeStage(Stage.ACCEPTED, null);
        s.changeStage(Stage.SCHEME, null);
        s.openTask(TaskKind.SCHEME_TECHNICAL);
        s.openTask(TaskKind.SCHEME_BUSINESS);
        s.startNode(Node.SCHEME_REPLY, Unit.PRODUCTION, Unit.MARKETING);
    }

    // ------------------------------------------------------------------ task replies

    private void constructionReply(Step s, TaskResult result, String kind) {
        requireStage(s, "request " + (result == COMPLETED ? "completion acceptance" : "a mid inspection"),
                Stage.CONSTRUCTION);
        Task task = s.state.openTask(TaskKind.CONSTRUCTION).orElseThrow(() ->
                refuse(Refused.INVALID_STATE, "no open CONSTRUCTION task"));
        s.timeline(kind, "客户代表代客户申请 (" + task.token() + ")");
        onConstruction(s, task, result, Map.of());
    }

    private void completeTask(Step s, int no, TaskResult result, Map<String, String> fields) {
        Task task = s.state.task(no).orElseThrow(() ->
                refuse(Refused.UNKNOWN_TASK, "case " + s.state.caseNo() + " has no task T" + no));
        String label = task.token() + " (" + task.kind() + ")";
        if (!task.isOpen()) {
            throw refuse(Refused.TASK_NOT_OPEN, label + " is already " + task.status());
        }
        if (!EXPECTED.get(task.kind()).contains(result)) {
            throw refuse(Refused.UNEXPECTED_RESULT, label + " expects " + names(EXPECTED.get(task.kind()))
                    + ", not " + result);
        }
        if (result.isPositive()) {
            List<String> missing = task.kind().requiredFields().stream()
                    .filter(f -> fields.get(f) == null || fields.get(f).isBlank()).toList();
            if (!missing.isEmpty()) {
                throw refuse(Refused.MISSING_FIELD, label + " " + result + " requires " + String.join(", ", missing));
            }
        }
        s.timeline("TASK_REPLY", label + " " + task.unit().code() + ": " + result
                + (fields.isEmpty() ? "" : " " + fields));
        switch (task.kind()) {
            case SCHEME_TECHNICAL, SCHEME_BUSINESS -> onScheme(s, task, result, fields);
            case DESIGN -> {
                s.closeTask(task, result, fields);
                s.completeNodeIfOpen(Node.DESIGN);
                s.openTask(TaskKind.DESIGN_REVIEW);
                s.startNode(Node.DESIGN_REVIEW, Unit.PRODUCTION);
            }
            case DESIGN_REVIEW -> {
                s.closeTask(task, result, fields);
                s.completeNode(Node.DESIGN_REVIEW);
                if (result == APPROVED) {
                    s.changeStage(Stage.CONSTRUCTION, null);
                    s.openTask(TaskKind.CONSTRUCTION);
                } else {
                    s.openTask(TaskKind.DESIGN);
                    s.startNode(Node.DESIGN, Unit.CONSTRUCTION);
                }
            }
            case CONSTRUCTION -> onConstruction(s, task, result, fields);
            case MID_INSPECTION -> {
                s.closeTask(task, result, fields);
                s.completeNode(Node.MID_INSPECTION);
                if (result == FAILED) {
                    s.openTask(TaskKind.RECTIFICATION);
                    s.startNode(Node.RECTIFICATION, Unit.CONSTRUCTION);
                }
            }
            case RECTIFICATION -> {
                s.closeTask(task, result, fields);
                s.completeNodeIfOpen(Node.RECTIFICATION);
                // Rectification during construction is re-inspected; after a failed round, the whole round is repeated.
                if (s.state.stage() == Stage.ACCEPTANCE) {
                    openRound(s, ACCEPTANCE_ROUND, Node.COMPLETION_ACCEPTANCE);
                } else if (s.state.stage() == Stage.ENERGIZATION) {
                    openRound(s, ENERGIZATION_ROUND, Node.ENERGIZATION);
                } else {
                    s.openTask(TaskKind.MID_INSPECTION);
                    s.startNode(Node.MID_INSPECTION, Unit.PRODUCTION);
                }
            }
            case COMPLETION_ACCEPTANCE, COMPLETION_ACCEPTANCE_MARKETING -> onAcceptance(s, task, result, fields);
            case ENERGIZATION, ENERGIZATION_PRODUCTION, ENERGIZATION_MARKETING, ENERGIZATION_CONSTRUCTION ->
                    onEnergization(s, task, result, fields);
            default -> throw new IllegalStateException(task.kind().name());
        }
    }

    private void onScheme(Step s, Task task, TaskResult result, Map<String, String> fields) {
        if (result == REJECTED) {
            // A rejection closes this task and asks again (new Tn); the other task and the node run on.
            s.closeTask(task, result, fields);
            s.openTask(task.kind());
            return;
        }
        if (task.kind() == TaskKind.SCHEME_BUSINESS) {
            assetTransfer(fields.get("ASSET_TRANSFER")); // validates
        }
        s.closeTask(task, result, fields);
        Map<String, String> scheme = new LinkedHashMap<>(s.state.scheme());
        task.kind().requiredFields().forEach(f -> scheme.put(f, fields.get(f).strip()));
        // an approved part replaces its optional answers too: a value of a rejected earlier answer never lingers
        task.kind().optionalFields().forEach(f -> {
            if (fields.get(f) != null && !fields.get(f).isBlank()) {
                scheme.put(f, fields.get(f).strip());
            } else {
                scheme.remove(f);
            }
        });
        Map<String, String> ordered = new LinkedHashMap<>();
        SCHEME_FIELDS.stream().filter(scheme::containsKey).forEach(f -> ordered.put(f, scheme.get(f)));
        s.state = s.state.withScheme(ordered);
        TaskKind other = task.kind() == TaskKind.SCHEME_TECHNICAL ? TaskKind.SCHEME_BUSINESS : TaskKind.SCHEME_TECHNICAL;
        boolean otherApproved = s.state.latestTask(other).map(t -> t.closedWith(APPROVED)).orElse(false);
        if (otherApproved) {
            s.completeNode(Node.SCHEME_REPLY);
            s.effects.add(new Effect.SchemeCompleted(s.state.scheme()));
            s.changeStage(Stage.DESIGN, null);
            s.openTask(TaskKind.DESIGN);
            s.startNode(Node.DESIGN, Unit.CONSTRUCTION);
        }
    }

    private void onConstruction(Step s, Task task, TaskResult result, Map<String, String> fields) {
        s.state.openTask(TaskKind.MID_INSPECTION).or(() -> s.state.openTask(TaskKind.RECTIFICATION))
                .ifPresent(open -> {
                    throw refuse(Refused.INSPECTION_OPEN, open.token() + " (" + open.kind() + ") is still open");
                });
        if (result == INSPECTION_REQUESTED) {
            // The CONSTRUCTION task stays open; a mid inspection is not mandatory before COMPLETED.
            s.openTask(TaskKind.MID_INSPECTION);
            s.startNode(Node.MID_INSPECTION, Unit.PRODUCTION);
        } else {
            s.closeTask(task, result, fields);
            s.changeStage(Stage.ACCEPTANCE, null);
            openRound(s, ACCEPTANCE_ROUND, Node.COMPLETION_ACCEPTANCE);
        }
    }

    /** Every unit of a joint round gets its own task (and token); one clock, charged to those still unanswered. */
    private static void openRound(Step s, List<TaskKind> round, Node node) {
        round.forEach(s::openTask);
        s.startNode(node, round.stream().map(TaskKind::unit).toArray(Unit[]::new));
    }

    /**
     * Closes a task of a joint round; empty while another unit of the round has not answered, else the whole round
     * (answered in full: the stage may move).
     */
    private static Optional<List<Task>> answerInRound(Step s, Task task, TaskResult result, Map<String, String> fields) {
        s.closeTask(task, result, fields);
        List<Task> round = round(s.state, task);
        List<Task> waiting = round.stream().filter(Task::isOpen).toList();
        if (!waiting.isEmpty()) {
            s.timeline("JOINT_PENDING", "待会同单位答复 awaiting: " + waiting.stream()
                    .map(t -> t.token() + " " + t.unit().code()).collect(Collectors.joining(", ")));
            return Optional.empty();
        }
        return Optional.of(round);
    }

    private static boolean allPositive(List<Task> round) {
        return round.stream().allMatch(t -> t.result() != null && t.result().isPositive());
    }

    /** The defects of every unit that failed the round, in task order. */
    private static List<String> roundDefects(List<Task> round) {
        List<String> all = new ArrayList<>();
        round.stream().filter(t -> t.result() == FAILED).forEach(t -> defects(t.fields().get("DEFECTS")).stream()
                .filter(d -> !all.contains(d)).forEach(all::add));
        return all;
    }

    private void onAcceptance(Step s, Task task, TaskResult result, Map<String, String> fields) {
        Optional<List<Task>> answered = answerInRound(s, task, result, fields);
        if (answered.isEmpty()) {
            return;
        }
        // The round passes only when every unit passed it; one failure fails it, with every unit's defects.
        List<Task> round = answered.get();
        boolean passed = allPositive(round);
        List<String> defects = roundDefects(round);
        s.completeNode(Node.COMPLETION_ACCEPTANCE);
        List<AcceptanceResult> history = new ArrayList<>(s.state.acceptances());
        history.add(new AcceptanceResult(round.get(0).no(), passed, defects, s.at));
        s.state = s.state.withAcceptances(history);
        s.effects.add(new Effect.AcceptanceRecorded(passed, defects));
        if (!passed) {
            s.openTask(TaskKind.RECTIFICATION);
            s.startNode(Node.RECTIFICATION, Unit.CONSTRUCTION);
            return;
        }
        // The contract document is due at every passed acceptance (signing is only accepted after it, in CONTRACT).
        s.effects.add(new Effect.ContractDue(assetTransfer(s.state.scheme().get("ASSET_TRANSFER"))));
        if (s.state.formalities().allDone()) {
            // Only a case whose contract was recorded before signing was limited to CONTRACT (older data) gets here:
            // CONTRACT is passed through (two stage changes), like ACCEPTED on the way to SCHEME.
            s.changeStage(Stage.CONTRACT, null);
            energize(s);
        } else if (s.state.isWaitingForCustomer()) {
            // A pause already running becomes the contract wait; it is not restarted.
            s.changeStage(Stage.CONTRACT, s.state.customerWait().reason());
        } else {
            String reason = formalitiesReason(s.state.formalities());
            s.changeStage(Stage.CONTRACT, reason);
            s.startWait(reason);
        }
    }

    private void onEnergization(Step s, Task task, TaskResult result, Map<String, String> fields) {
        if (task.kind() == TaskKind.ENERGIZATION && result == DONE) {
            energizedAt(fields.get("ENERGIZED_AT")); // refused now, not when the last unit answers
        }
        Optional<List<Task>> answered = answerInRound(s, task, result, fields);
        if (answered.isEmpty()) {
            return;
        }
        List<Task> round = answered.get();
        // The node completes when the last reply is received (docs/contract.md §1), not at the ENERGIZED_AT it states.
        s.completeNode(Node.ENERGIZATION);
        if (!allPositive(round)) {
            // A unit could not energize: the construction unit rectifies, then every unit is asked again.
            List<String> defects = roundDefects(round);
            s.timeline("ENERGIZATION_FAILED", "送电未能完成 energization failed"
                    + (defects.isEmpty() ? "" : ": " + String.join("；", defects)));
            s.openTask(TaskKind.RECTIFICATION);
            s.startNode(Node.RECTIFICATION, Unit.CONSTRUCTION);
            return;
        }
        Map<String, String> lead = round.stream().filter(t -> t.kind() == TaskKind.ENERGIZATION).findFirst()
                .orElseThrow(() -> new IllegalStateException("energization round without customer-center")).fields();
        OffsetDateTime energizedAt = energizedAt(lead.get("ENERGIZED_AT"));
        String meterNo = lead.get("METER_NO").strip();
        s.state = s.state.withEnergized(meterNo, energizedAt);
        if (s.state.isWaitingForCustomer()) {
            s.endWait(); // no clock runs after energization, so no wait either
        }
        s.changeStage(Stage.ENERGIZED, null);
        s.effects.add(new Effect.Energized(meterNo, energizedAt));
    }

    // ------------------------------------------------------------------ formalities

    private void formality(Step s, Formality kind, String details) {
        if (!acceptsFormality(kind, s.state.stage())) {
            String when = kind == Formality.CONTRACT_SIGNED ? "only in CONTRACT, after a passed acceptance"
                    : "from SCHEME through CONTRACT";
            throw refuse(Refused.INVALID_STATE, kind + " is accepted " + when + "; case "
                    + s.state.caseNo() + " is " + s.state.stage());
        }
        if (s.state.formalities().isDone(kind)) {
            throw refuse(Refused.ALREADY_DONE, kind + " was already recorded for case " + s.state.caseNo());
        }
        s.timeline(kind.name(), details);
        s.effects.add(new Effect.FormalityRecorded(kind, s.at));
    }

    private void afterFormality(Step s) {
        // Before CONTRACT the acceptance has not passed yet: the formality is only recorded.
        if (s.state.stage() == Stage.CONTRACT && s.state.formalities().allDone()) {
            energize(s);
        }
    }

    private void energize(Step s) {
        if (s.state.isWaitingForCustomer()) {
            s.endWait();
        }
        s.changeStage(Stage.ENERGIZATION, null);
        openRound(s, ENERGIZATION_ROUND, Node.ENERGIZATION);
    }

    // ------------------------------------------------------------------ waits, exits

    /** {@code from}: a back-dated start (its window is the caller's to check), never before the running clock started. */
    private void pause(Step s, String reason, OffsetDateTime from) {
        if (s.state.stage() == Stage.ENERGIZED) {
            throw refuse(Refused.INVALID_STATE, "case " + s.state.caseNo() + " is ENERGIZED: no clock to stop");
        }
        if (s.state.isWaitingForCustomer()) {
            throw refuse(Refused.ALREADY_WAITING, "already waiting for the customer since "
                    + s.state.customerWait().since() + ": " + s.state.customerWait().reason());
        }
        OffsetDateTime since = from == null ? s.at : from;
        if (since.isAfter(s.at)) {
            throw refuse(Refused.INVALID_FIELD, "a pause cannot start in the future (" + since + ")");
        }
        if (s.state.openNode() != null && since.isBefore(s.state.openNode().since())) {
            throw refuse(Refused.BEFORE_NODE_STARTED, "a pause cannot start before the running clock "
                    + s.state.openNode().node() + " started (" + s.state.openNode().since() + ")");
        }
        s.effects.add(new Effect.TimelineEntry(s.actor, since, "CUSTOMER_WAIT", since.equals(s.at) ? reason
                : reason + " (补录 back-dated, recorded " + s.at + ")"));
        s.state = s.state.withCustomerWait(new CustomerWait(reason, since));
        s.effects.add(new Effect.CustomerWaitStarted(reason, since));
    }

    private void resume(Step s) {
        if (s.state.stage() == Stage.AWAITING_MATERIALS || s.state.stage() == Stage.CONTRACT) {
            throw refuse(Refused.INVALID_STATE, "in " + s.state.stage()
                    + " the wait ends by itself when the customer has done what is missing");
        }
        if (!s.state.isWaitingForCustomer()) {
            throw refuse(Refused.NOT_WAITING, "case " + s.state.caseNo() + " is not waiting for the customer");
        }
        s.timeline("CUSTOMER_BACK", "客户已恢复: " + s.state.customerWait().reason());
        s.endWait();
    }

    private void withdraw(Step s, String reason) {
        if (s.state.stage() == Stage.ENERGIZED) {
            throw refuse(Refused.INVALID_STATE, "case " + s.state.caseNo() + " is already energized: cannot withdraw");
        }
        s.timeline("WITHDRAWN", reason);
        for (Task t : s.state.openTasks()) {
            s.cancelTask(t);
        }
        if (s.state.openNode() != null) {
            s.effects.add(new Effect.NodeCancelled(s.state.openNode().node(), s.at));
            s.state = s.state.withOpenNode(null);
        }
        if (s.state.isWaitingForCustomer()) {
            s.endWait();
        }
        s.changeStage(Stage.WITHDRAWN, reason);
    }

    /** Only while the design has not gone to review: once it has, the scheme is in use and does not lapse. */
    private static void expireScheme(Step s) {
        requireStage(s, "expire the scheme", Stage.DESIGN);
        if (s.state.openTask(TaskKind.DESIGN).isEmpty()) {
            throw refuse(Refused.INVALID_STATE, "the design of case " + s.state.caseNo()
                    + " is under review: the scheme is in use and does not lapse");
        }
        s.timeline("SCHEME_EXPIRED", "供电方案已过有效期，未办理后续手续，重新出具供电方案");
        for (Task t : s.state.openTasks()) {
            s.cancelTask(t);
        }
        if (s.state.openNode() != null) {
            s.effects.add(new Effect.NodeCancelled(s.state.openNode().node(), s.at));
            s.state = s.state.withOpenNode(null);
        }
        s.state = s.state.withScheme(Map.of());
        if (s.state.isWaitingForCustomer()) {
            s.endWait();
        }
        s.changeStage(Stage.SCHEME, "供电方案已过有效期");
        s.openTask(TaskKind.SCHEME_TECHNICAL);
        s.openTask(TaskKind.SCHEME_BUSINESS);
        s.startNode(Node.SCHEME_REPLY, Unit.PRODUCTION, Unit.MARKETING);
    }

    private void close(Step s) {
        requireStage(s, "close", Stage.ENERGIZED);
        s.timeline("CLOSED", "回访完成，归档");
        s.changeStage(Stage.CLOSED, null);
    }

    // ------------------------------------------------------------------ helpers

    private static void requireStage(Step s, String what, Stage... allowed) {
        if (!Arrays.asList(allowed).contains(s.state.stage())) {
            throw refuse(Refused.INVALID_STATE, "cannot " + what + " in stage " + s.state.stage()
                    + " (only in " + names(Arrays.asList(allowed)) + ")");
        }
    }

    static List<String> defects(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split("[;；]")).map(String::strip).filter(d -> !d.isEmpty()).toList();
    }

    static boolean assetTransfer(String value) {
        String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (v.equals("是") || v.equals("YES")) {
            return true;
        }
        if (v.equals("否") || v.equals("NO")) {
            return false;
        }
        throw refuse(Refused.INVALID_FIELD, "ASSET_TRANSFER must be 是/YES or 否/NO, not '" + value + "'");
    }

    private static final List<DateTimeFormatter> LOCAL_FORMATS = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"),
            DateTimeFormatter.ISO_LOCAL_DATE_TIME);

    /** {@code 2027-03-01 10:30} (business time zone) or ISO-8601 with offset. */
    OffsetDateTime energizedAt(String value) {
        String v = value.strip();
        try {
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException ignored) {
            // not ISO with offset: try the local forms
        }
        for (DateTimeFormatter f : LOCAL_FORMATS) {
            try {
                return LocalDateTime.parse(v, f).atZone(zone).toOffsetDateTime();
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        throw refuse(Refused.INVALID_FIELD, "ENERGIZED_AT must look like 2027-03-01 10:30, not '" + value + "'");
    }

    private static String materialsReason(Set<Material> missing) {
        return "资料补正：" + missing.stream().map(Material::chinese).collect(Collectors.joining("、"))
                + " (materials missing: " + names(missing) + ")";
    }

    private static String formalitiesReason(Formalities f) {
        List<String> zh = new ArrayList<>();
        List<String> en = new ArrayList<>();
        if (!f.feesSettled()) {
            zh.add("缴清业务费用");
            en.add("fees");
        }
        if (!f.contractSigned()) {
            zh.add("签订供用电合同");
            en.add("contract");
        }
        if (!f.arrearsCleared()) {
            zh.add("结清欠费");
            en.add("arrears");
        }
        return "等待客户" + String.join("、", zh) + " (waiting for the customer: " + String.join(", ", en) + ")";
    }

    private static String names(Collection<? extends Enum<?>> values) {
        return values.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }

    private static Refusal refuse(String code, String message) {
        return new Refusal(code, message);
    }

    /** Internal: unwinds a command; the partly built step is thrown away, so nothing changes. */
    private static final class Refusal extends RuntimeException {
        final String code;

        Refusal(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** The transition being built for one command. */
    private static final class Step {
        CaseState state;
        final OffsetDateTime at;
        /** When the answer being applied came: closes its task and completes its node (at or before {@code at}). */
        OffsetDateTime answeredAt;
        final Actor actor;
        final List<Effect> effects = new ArrayList<>();

        Step(CaseState state, OffsetDateTime at, Actor actor) {
            this.state = state;
            this.at = at;
            this.answeredAt = at;
            this.actor = actor;
        }

        Transition transition() {
            return new Transition(state, effects);
        }

        void timeline(String kind, String details) {
            effects.add(new Effect.TimelineEntry(actor, at, kind, details));
        }

        void changeStage(Stage to, String reason) {
            effects.add(new Effect.StageChanged(state.stage(), to, at, reason));
            state = state.withStage(to);
        }

        Task openTask(TaskKind kind) {
            Task t = Task.open(state.nextTaskNo(), kind, at);
            List<Task> tasks = new ArrayList<>(state.tasks());
            tasks.add(t);
            state = state.withTasks(tasks);
            effects.add(new Effect.TaskOpened(t));
            return t;
        }

        void closeTask(Task task, TaskResult result, Map<String, String> fields) {
            Task closed = task.close(result, fields, answeredAt);
            replace(closed);
            effects.add(new Effect.TaskClosed(closed));
        }

        void cancelTask(Task task) {
            Task cancelled = task.cancel(at);
            replace(cancelled);
            effects.add(new Effect.TaskCancelled(cancelled));
        }

        private void replace(Task t) {
            List<Task> tasks = new ArrayList<>(state.tasks());
            tasks.set(t.no() - 1, t);
            state = state.withTasks(tasks);
        }

        void startNode(Node node, Unit... units) {
            state = state.withOpenNode(new OpenNode(node, at));
            effects.add(new Effect.NodeStarted(node, List.of(units), at));
        }

        void completeNode(Node node) {
            if (state.openNode() == null || state.openNode().node() != node) {
                throw new IllegalStateException("node " + node + " is not open in " + state.caseNo()
                        + " (open: " + state.openNode() + ")");
            }
            state = state.withOpenNode(null);
            effects.add(new Effect.NodeCompleted(node, answeredAt));
        }

        /** A node started before the construction unit's nodes were timed has no open node: nothing to complete. */
        void completeNodeIfOpen(Node node) {
            if (state.openNode() != null && state.openNode().node() == node) {
                completeNode(node);
            }
        }

        void startWait(String reason) {
            state = state.withCustomerWait(new CustomerWait(reason, at));
            effects.add(new Effect.CustomerWaitStarted(reason, at));
        }

        void endWait() {
            state = state.withCustomerWait(null);
            effects.add(new Effect.CustomerWaitEnded(at));
        }
    }
}
