package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.time.Node;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.ServiceType;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.Command.Accept;
import cn.yekuo.hub.domain.workflow.Command.ClearArrears;
import cn.yekuo.hub.domain.workflow.Command.CloseAfterReturnVisit;
import cn.yekuo.hub.domain.workflow.Command.CompleteTask;
import cn.yekuo.hub.domain.workflow.Command.ConfirmMaterials;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cn.yekuo.hub.domain.Stage.ACCEPTANCE;
import static cn.yekuo.hub.domain.Stage.ACCEPTED;
import static cn.yekuo.hub.domain.Stage.AWAITING_MATERIALS;
import static cn.yekuo.hub.domain.Stage.CLOSED;
import static cn.yekuo.hub.domain.Stage.CONSTRUCTION;
import static cn.yekuo.hub.domain.Stage.CONTRACT;
import static cn.yekuo.hub.domain.Stage.DESIGN;
import static cn.yekuo.hub.domain.Stage.ENERGIZATION;
import static cn.yekuo.hub.domain.Stage.ENERGIZED;
import static cn.yekuo.hub.domain.Stage.RECEIVED;
import static cn.yekuo.hub.domain.Stage.SCHEME;
import static cn.yekuo.hub.domain.Stage.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;

/** Random sequences of commands, valid or not, never bring a case into a state the rules forbid. */
class CaseWorkflowProperties {

    enum Move {
        REPLY, REPLY_ANY_RESULT, REPLY_ANY_TASK, SUPPLEMENT, CONFIRM, ACCEPT, REQUEST_INSPECTION,
        REQUEST_ACCEPTANCE, FEES, CONTRACT, ARREARS, PAUSE, RESUME, WITHDRAW, CLOSE
    }

    record Action(Move move, int pick, TaskResult result, boolean fullFields) {
    }

    /** The only stage changes there are (loops stay inside their stage). */
    static final Map<Stage, Set<Stage>> NEXT = new EnumMap<>(Stage.class);

    static {
        NEXT.put(RECEIVED, EnumSet.of(AWAITING_MATERIALS, ACCEPTED, WITHDRAWN));
        NEXT.put(AWAITING_MATERIALS, EnumSet.of(ACCEPTED, WITHDRAWN));
        NEXT.put(ACCEPTED, EnumSet.of(SCHEME));
        NEXT.put(SCHEME, EnumSet.of(DESIGN, WITHDRAWN));
        NEXT.put(DESIGN, EnumSet.of(CONSTRUCTION, WITHDRAWN));
        NEXT.put(CONSTRUCTION, EnumSet.of(ACCEPTANCE, WITHDRAWN));
        NEXT.put(ACCEPTANCE, EnumSet.of(CONTRACT, WITHDRAWN));
        NEXT.put(CONTRACT, EnumSet.of(ENERGIZATION, WITHDRAWN));
        NEXT.put(ENERGIZATION, EnumSet.of(ENERGIZED, WITHDRAWN));
        NEXT.put(ENERGIZED, EnumSet.of(CLOSED));
    }

    static final Map<String, String> ALL_FIELDS = Map.ofEntries(
            Map.entry("SOURCE", "110kV东郊变"), Map.entry("CONNECTION_POINT", "12号杆"),
            Map.entry("OWNERSHIP_BOUNDARY", "T接点"), Map.entry("METERING", "高供高计"),
            Map.entry("TARIFF", "大工业"), Map.entry("ASSET_TRANSFER", "否"), Map.entry("FEES", "100"),
            Map.entry("METER_NO", "M-1"), Map.entry("ENERGIZED_AT", "2027-03-01 10:30"),
            Map.entry("DEFECTS", "缺陷一；缺陷二"), Map.entry("APPROVED_CAPACITY", "800kVA"),
            Map.entry("TRANSFORMER", "S13-800/10×1×800kVA"), Map.entry("CONNECTION_METHOD", "电缆T接"),
            Map.entry("WORKS", "无"), Map.entry("NATURE_OF_USE", "工业"), Map.entry("METERING_POINT", "进线柜"),
            Map.entry("CT_RATIO", "50/5"), Map.entry("ACCURACY_CLASS", "0.5S"), Map.entry("POWER_FACTOR", "0.90"));

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Move> move = Arbitraries.frequency(
                Tuple.of(40, Move.REPLY), Tuple.of(4, Move.REPLY_ANY_RESULT), Tuple.of(3, Move.REPLY_ANY_TASK),
                Tuple.of(3, Move.SUPPLEMENT), Tuple.of(4, Move.CONFIRM), Tuple.of(2, Move.ACCEPT),
                Tuple.of(3, Move.REQUEST_INSPECTION), Tuple.of(3, Move.REQUEST_ACCEPTANCE),
                Tuple.of(5, Move.FEES), Tuple.of(5, Move.CONTRACT), Tuple.of(5, Move.ARREARS),
                Tuple.of(3, Move.PAUSE), Tuple.of(3, Move.RESUME), Tuple.of(1, Move.WITHDRAW), Tuple.of(3, Move.CLOSE));
        Arbitrary<Action> action = Combinators.combine(move, Arbitraries.integers().between(0, 60),
                        Arbitraries.of(TaskResult.class), Arbitraries.integers().between(0, 9).map(i -> i < 8))
                .as(Action::new);
        return action.list().ofMinSize(1).ofMaxSize(90);
    }

    @Provide
    Arbitrary<CaseState> starts() {
        return Arbitraries.subsetOf(Material.values()).flatMap(missing -> Arbitraries.of(
                CaseWorkflow.openAccepted("YK-P", ServiceType.NEW_INSTALL, 1, CaseDriver.T0, Actor.SYSTEM).next(),
                CaseState.received("YK-P", ServiceType.RELOCATION, 2, missing),
                missing.isEmpty() ? CaseState.received("YK-P", ServiceType.CAPACITY_INCREASE, 1, missing)
                        : CaseWorkflow.openAwaitingMaterials("YK-P", ServiceType.CAPACITY_INCREASE, 1, missing,
                        CaseDriver.T0, Actor.SYSTEM).next()));
    }

    @Property(tries = 1000)
    void random_command_sequences_never_produce_an_illegal_state(@ForAll("starts") CaseState start,
                                                                 @ForAll("actions") List<Action> actions) {
        CaseWorkflow workflow = new CaseWorkflow(java.time.ZoneId.of("Asia/Shanghai"));
        CaseState state = start;
        checkState(state);
        OffsetDateTime at = CaseDriver.T0;
        for (Action a : actions) {
            at = at.plusHours(7);
            Command c = command(state, a, at);
            Outcome o = workflow.apply(state, c);
            assertThat(workflow.apply(state, c)).as("the same command gives the same outcome").isEqualTo(o);
            if (state.stage().isFinal()) {
                assertThat(o).as("a final stage absorbs %s", c).isInstanceOf(Refused.class);
            }
            if (o instanceof Transition t) {
                checkTransition(state, t);
                state = t.next();
                checkState(state);
            }
        }
        Statistics.label("last stage").collect(state.stage());
        Statistics.label("reached energized").collect(state.energizedAt() != null);
        Statistics.label("reached energized").coverage(c -> c.check(true).count(n -> n > 0));
        Statistics.label("last stage").coverage(c -> {
            c.check(WITHDRAWN).count(n -> n > 0);
            c.check(CLOSED).count(n -> n > 0);
        });
    }

    // ------------------------------------------------------------------ command generation

    static Command command(CaseState s, Action a, OffsetDateTime at) {
        return switch (a.move()) {
            case REPLY -> {
                List<Task> open = s.openTasks();
                if (open.isEmpty()) {
                    yield new CompleteTask(at, Actor.UNIT, a.pick() % (s.tasks().size() + 2), a.result(), fields(a));
                }
                Task t = open.get(a.pick() % open.size());
                List<TaskResult> expected = CaseWorkflow.expectedResults(t.kind()).stream().sorted().toList();
                // joint rounds pass only when every unit passes: lean to positive answers so that sequences still get far
                List<TaskResult> positive = expected.stream().filter(TaskResult::isPositive).toList();
                List<TaskResult> from = CaseWorkflow.roundOf(t.kind()).size() > 1 && a.pick() % 4 != 0 ? positive : expected;
                yield new CompleteTask(at, Actor.UNIT, t.no(), from.get(a.pick() % from.size()), fields(a));
            }
            case REPLY_ANY_RESULT -> {
                List<Task> open = s.openTasks();
                int no = open.isEmpty() ? 1 : open.get(a.pick() % open.size()).no();
                yield new CompleteTask(at, Actor.UNIT, no, a.result(), fields(a));
            }
            case REPLY_ANY_TASK -> new CompleteTask(at, Actor.UNIT, a.pick() % (s.tasks().size() + 2), a.result(), fields(a));
            case SUPPLEMENT -> new SupplementMaterials(at, Actor.BILLING,
                    Set.of(Material.values()[a.pick() % Material.values().length]));
            case CONFIRM -> new ConfirmMaterials(at, Actor.REPRESENTATIVE);
            case ACCEPT -> new Accept(at, Actor.REPRESENTATIVE);
            case REQUEST_INSPECTION -> new RequestInspection(at, Actor.REPRESENTATIVE);
            case REQUEST_ACCEPTANCE -> new RequestAcceptance(at, Actor.REPRESENTATIVE);
            case FEES -> new SettleFees(at, Actor.BILLING, BigDecimal.valueOf(a.pick()));
            case CONTRACT -> new SignContract(at, Actor.BILLING, "HT-" + a.pick());
            case ARREARS -> new ClearArrears(at, Actor.BILLING);
            case PAUSE -> new PauseForCustomer(at, Actor.REPRESENTATIVE, "pause " + a.pick());
            case RESUME -> new ResumeFromCustomer(at, Actor.REPRESENTATIVE);
            case WITHDRAW -> new Withdraw(at, Actor.BILLING, "withdrawn " + a.pick());
            case CLOSE -> new CloseAfterReturnVisit(at, Actor.REPRESENTATIVE);
        };
    }

    /** A joint round: some of its units still owe their answer under its clock, or a rectification runs under its own. */
    static void jointRound(java.util.Collection<TaskKind> kinds, Node node, List<TaskKind> round, Node roundNode) {
        assertThat(kinds).isNotEmpty();
        if (kinds.contains(TaskKind.RECTIFICATION)) {
            assertThat(kinds).containsExactly(TaskKind.RECTIFICATION);
            assertThat(node).isEqualTo(Node.RECTIFICATION);
        } else {
            assertThat(kinds).isSubsetOf(round).doesNotHaveDuplicates();
            assertThat(node).isEqualTo(roundNode);
        }
    }

    static Map<String, String> fields(Action a) {
        return a.fullFields() ? ALL_FIELDS : a.pick() % 2 == 0 ? Map.of() : Map.of("SOURCE", "x", "METER_NO", "m");
    }

    // ------------------------------------------------------------------ invariants

    static void checkTransition(CaseState before, Transition t) {
        CaseState after = t.next();
        List<Effect> effects = t.effects();

        // the stage only moves along the allowed edges, one StageChanged per edge, chained
        assertThat(after.stage().ordinal()).isGreaterThanOrEqualTo(before.stage().ordinal());
        Stage at = before.stage();
        for (Effect e : effects) {
            if (e instanceof Effect.StageChanged sc) {
                assertThat(sc.from()).isEqualTo(at);
                assertThat(NEXT.getOrDefault(at, Set.of())).as("edge %s → %s", at, sc.to()).contains(sc.to());
                at = sc.to();
            }
        }
        assertThat(after.stage()).isEqualTo(at);

        // tasks are only appended; closed and cancelled tasks never change; numbers are never reused
        assertThat(after.tasks().size()).isGreaterThanOrEqualTo(before.tasks().size());
        for (Task old : before.tasks()) {
            Task now = after.task(old.no()).orElseThrow();
            assertThat(now.kind()).isEqualTo(old.kind());
            if (!old.isOpen()) {
                assertThat(now).isEqualTo(old);
            }
        }
        List<Integer> opened = effects.stream().filter(Effect.TaskOpened.class::isInstance)
                .map(e -> ((Effect.TaskOpened) e).task().no()).toList();
        assertThat(opened).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(before.tasks().size() + 1, after.tasks().size()).boxed().toList());
        for (Effect e : effects) {
            if (e instanceof Effect.TaskClosed c) {
                assertThat(before.task(c.task().no()).map(Task::isOpen)).contains(true);
                assertThat(after.task(c.task().no())).contains(c.task());
            }
            if (e instanceof Effect.TaskCancelled c) {
                assertThat(before.task(c.task().no()).map(Task::isOpen)).contains(true);
                assertThat(after.stage()).isEqualTo(WITHDRAWN);
            }
        }

        // node and wait effects are balanced and end where the state says
        Node node = before.openNode() == null ? null : before.openNode().node();
        boolean waiting = before.isWaitingForCustomer();
        for (Effect e : effects) {
            if (e instanceof Effect.NodeStarted ns) {
                assertThat(node).as("a node starts only when none runs").isNull();
                node = ns.node();
            } else if (e instanceof Effect.NodeCompleted nc) {
                assertThat(nc.node()).isEqualTo(node);
                node = null;
            } else if (e instanceof Effect.NodeCancelled nc) {
                assertThat(nc.node()).isEqualTo(node);
                node = null;
            } else if (e instanceof Effect.CustomerWaitStarted) {
                assertThat(waiting).isFalse();
                waiting = true;
            } else if (e instanceof Effect.CustomerWaitEnded) {
                assertThat(waiting).isTrue();
                waiting = false;
            }
        }
        assertThat(after.openNode() == null ? null : after.openNode().node()).isEqualTo(node);
        assertThat(after.isWaitingForCustomer()).isEqualTo(waiting);
    }

    static void checkState(CaseState s) {
        Map<TaskKind, Long> open = new EnumMap<>(TaskKind.class);
        s.openTasks().forEach(t -> open.merge(t.kind(), 1L, Long::sum));
        assertThat(open.values()).as("at most one open task of each kind").allMatch(n -> n == 1);
        Set<TaskKind> kinds = open.keySet();
        Node node = s.openNode() == null ? null : s.openNode().node();

        switch (s.stage()) {
            case RECEIVED, AWAITING_MATERIALS, ACCEPTED, CONTRACT, ENERGIZED, CLOSED, WITHDRAWN, NOT_ELIGIBLE ->
                    assertThat(kinds).as("no open task in %s", s.stage()).isEmpty();
            case SCHEME -> {
                assertThat(kinds).isSubsetOf(TaskKind.SCHEME_TECHNICAL, TaskKind.SCHEME_BUSINESS);
                for (TaskKind k : List.of(TaskKind.SCHEME_TECHNICAL, TaskKind.SCHEME_BUSINESS)) {
                    boolean approved = s.latestTask(k).map(t -> t.closedWith(TaskResult.APPROVED)).orElse(false);
                    assertThat(kinds.contains(k) ^ approved).as("%s open or approved", k).isTrue();
                }
                assertThat(node).isEqualTo(Node.SCHEME_REPLY);
            }
            case DESIGN -> {
                assertThat(kinds).hasSize(1).isSubsetOf(TaskKind.DESIGN, TaskKind.DESIGN_REVIEW);
                // the construction unit's design is a node of its own (timed only where a rule set has its row)
                assertThat(node).isEqualTo(kinds.contains(TaskKind.DESIGN_REVIEW) ? Node.DESIGN_REVIEW : Node.DESIGN);
            }
            case CONSTRUCTION -> {
                assertThat(kinds).contains(TaskKind.CONSTRUCTION)
                        .isSubsetOf(TaskKind.CONSTRUCTION, TaskKind.MID_INSPECTION, TaskKind.RECTIFICATION);
                assertThat(kinds.size()).isLessThanOrEqualTo(2);
                assertThat(node).isEqualTo(kinds.contains(TaskKind.MID_INSPECTION) ? Node.MID_INSPECTION
                        : kinds.contains(TaskKind.RECTIFICATION) ? Node.RECTIFICATION : null);
            }
            case ACCEPTANCE -> jointRound(kinds, node, CaseWorkflow.ACCEPTANCE_ROUND, Node.COMPLETION_ACCEPTANCE);
            case ENERGIZATION -> jointRound(kinds, node, CaseWorkflow.ENERGIZATION_ROUND, Node.ENERGIZATION);
            default -> throw new AssertionError(s.stage());
        }
        if (s.stage() != SCHEME && s.stage() != DESIGN && s.stage() != CONSTRUCTION && s.stage() != ACCEPTANCE
                && s.stage() != ENERGIZATION) {
            assertThat(node).as("no clock in %s", s.stage()).isNull();
        }

        if (s.stage() == AWAITING_MATERIALS || s.stage() == CONTRACT) {
            assertThat(s.customerWait()).as("%s is a wait for the customer", s.stage()).isNotNull();
        }
        if (s.stage() == AWAITING_MATERIALS) {
            assertThat(s.missingMaterials()).isNotEmpty();
        }
        if (s.stage().ordinal() > AWAITING_MATERIALS.ordinal() && s.stage() != WITHDRAWN) {
            assertThat(s.missingMaterials()).isEmpty();
        }
        if (s.stage() == ENERGIZED || s.stage().isFinal()) {
            assertThat(s.customerWait()).isNull();
        }
        boolean pastScheme = s.stage().ordinal() > SCHEME.ordinal() && s.stage() != WITHDRAWN;
        if (pastScheme) {
            // every required field, optional ones where answered, in the letter's order
            List<String> required = new java.util.ArrayList<>(cn.yekuo.hub.domain.TaskKind.SCHEME_TECHNICAL.requiredFields());
            required.addAll(cn.yekuo.hub.domain.TaskKind.SCHEME_BUSINESS.requiredFields());
            assertThat(s.scheme().keySet()).containsAll(required);
            assertThat(CaseWorkflow.SCHEME_FIELDS.stream().filter(s.scheme()::containsKey).toList())
                    .containsExactlyElementsOf(s.scheme().keySet());
        }
        boolean pastAcceptance = s.stage().ordinal() >= CONTRACT.ordinal() && s.stage() != WITHDRAWN;
        assertThat(s.acceptancePassed()).isEqualTo(pastAcceptance || (s.stage() == WITHDRAWN && s.acceptancePassed()));
        if (pastAcceptance) {
            assertThat(s.acceptances()).filteredOn(AcceptanceResult::passed).hasSize(1);
        }
        if (s.formalities().contractSigned()) {
            assertThat(s.acceptancePassed()).as("the contract is signed only after a passed acceptance").isTrue();
        }
        if (s.stage().ordinal() >= ENERGIZATION.ordinal() && s.stage() != WITHDRAWN) {
            assertThat(s.acceptancePassed()).isTrue();
            assertThat(s.formalities().allDone()).as("energization only after fees, contract and arrears").isTrue();
        }
        assertThat(s.meterNo() != null).isEqualTo(s.energizedAt() != null);
        assertThat(s.meterNo() != null).isEqualTo(s.stage() == ENERGIZED || s.stage() == CLOSED);
    }
}
