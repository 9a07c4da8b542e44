package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.support.Replies;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.ServiceType;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.Command.ClearArrears;
import cn.yekuo.hub.domain.workflow.Command.CompleteTask;
import cn.yekuo.hub.domain.workflow.Command.SettleFees;
import cn.yekuo.hub.domain.workflow.Command.SignContract;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;
import cn.yekuo.hub.domain.workflow.Outcome.Transition;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.COMPLETED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static org.assertj.core.api.Assertions.assertThat;

/** Drives one case through the workflow in tests: a clock, the current state and the last effects. */
final class CaseDriver {

    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-27T09:30:00+08:00");

    static final Map<String, String> TECHNICAL = Replies.with(Map.of(
            "SOURCE", "110kV东郊变 10kV东园线",
            "CONNECTION_POINT", "东园线12号杆",
            "OWNERSHIP_BOUNDARY", "12号杆T接点"), Replies.TECHNICAL_FIELDS);
    static final Map<String, String> BUSINESS = Replies.with(Map.of(
            "METERING", "高供高计",
            "TARIFF", "大工业用电",
            "ASSET_TRANSFER", "是",
            "FEES", "12800.00"), Replies.BUSINESS_FIELDS);
    static final Map<String, String> ENERGIZED = Map.of(
            "METER_NO", "3301234567",
            "ENERGIZED_AT", "2027-03-01 10:30");

    final CaseWorkflow workflow = new CaseWorkflow(java.time.ZoneId.of("Asia/Shanghai"));
    CaseState state;
    List<Effect> effects = List.of();
    OffsetDateTime clock = T0;

    private CaseDriver(CaseState state, List<Effect> effects) {
        this.state = state;
        this.effects = effects;
    }

    /** A NEW_INSTALL, single-source case accepted at T0: in SCHEME with T1 technical, T2 business. */
    static CaseDriver accepted() {
        Transition t = CaseWorkflow.openAccepted("YK-2026-000017", ServiceType.NEW_INSTALL, 1, T0, Actor.REPRESENTATIVE);
        return new CaseDriver(t.next(), t.effects());
    }

    /** A NEW_INSTALL case just recorded (RECEIVED), before the materials are checked. */
    static CaseDriver received() {
        return new CaseDriver(CaseState.received("YK-2026-000019", ServiceType.NEW_INSTALL, 1, Set.of()), List.of());
    }

    static CaseDriver awaiting(Material... missing) {
        Transition t = CaseWorkflow.openAwaitingMaterials("YK-2026-000018", ServiceType.NEW_INSTALL, 1,
                Set.of(missing), T0, Actor.REPRESENTATIVE);
        return new CaseDriver(t.next(), t.effects());
    }

    OffsetDateTime tick() {
        clock = clock.plusHours(5);
        return clock;
    }

    Outcome apply(Command c) {
        return workflow.apply(state, c);
    }

    /** Applies a command that must succeed; keeps the new state and its effects. */
    Transition ok(Command c) {
        Outcome o = workflow.apply(state, c);
        assertThat(o).as("outcome of %s", c).isInstanceOf(Transition.class);
        Transition t = (Transition) o;
        state = t.next();
        effects = t.effects();
        return t;
    }

    /** Applies a command that must be refused; checks that the state did not move. */
    Refused refused(Command c) {
        CaseState before = state;
        Outcome o = workflow.apply(state, c);
        assertThat(o).as("outcome of %s", c).isInstanceOf(Refused.class);
        assertThat(state).isEqualTo(before);
        return (Refused) o;
    }

    int open(TaskKind kind) {
        return state.openTask(kind).orElseThrow(() -> new AssertionError("no open " + kind + " in " + state.tasks())).no();
    }

    CompleteTask reply(TaskKind kind, TaskResult result, Map<String, String> fields) {
        return new CompleteTask(tick(), Actor.UNIT, open(kind), result, fields);
    }

    CompleteTask reply(TaskKind kind, TaskResult result) {
        return reply(kind, result, Map.of());
    }

    CaseDriver answer(TaskKind kind, TaskResult result, Map<String, String> fields) {
        ok(reply(kind, result, fields));
        return this;
    }

    CaseDriver answer(TaskKind kind, TaskResult result) {
        return answer(kind, result, Map.of());
    }

    SettleFees fees() {
        return new SettleFees(tick(), Actor.BILLING, new BigDecimal("12800.00"));
    }

    SignContract contract() {
        return new SignContract(tick(), Actor.BILLING, "HT-2027-0042");
    }

    ClearArrears arrears() {
        return new ClearArrears(tick(), Actor.BILLING);
    }

    CaseDriver toDesign() {
        answer(TaskKind.SCHEME_TECHNICAL, APPROVED, TECHNICAL);
        answer(TaskKind.SCHEME_BUSINESS, APPROVED, BUSINESS);
        assertThat(state.stage()).isEqualTo(Stage.DESIGN);
        return this;
    }

    CaseDriver toConstruction() {
        toDesign();
        answer(TaskKind.DESIGN, DONE);
        answer(TaskKind.DESIGN_REVIEW, APPROVED);
        assertThat(state.stage()).isEqualTo(Stage.CONSTRUCTION);
        return this;
    }

    CaseDriver toAcceptance() {
        toConstruction();
        answer(TaskKind.CONSTRUCTION, COMPLETED);
        assertThat(state.stage()).isEqualTo(Stage.ACCEPTANCE);
        return this;
    }

    CaseDriver toContract() {
        toAcceptance();
        passAcceptance();
        assertThat(state.stage()).isEqualTo(Stage.CONTRACT);
        return this;
    }

    CaseDriver toEnergization() {
        toContract();
        ok(fees());
        ok(contract());
        ok(arrears());
        assertThat(state.stage()).isEqualTo(Stage.ENERGIZATION);
        return this;
    }

    CaseDriver toEnergized() {
        toEnergization();
        supportEnergization();
        answer(TaskKind.ENERGIZATION, DONE, ENERGIZED);
        assertThat(state.stage()).isEqualTo(Stage.ENERGIZED);
        return this;
    }

    /** Both units of the joint completion acceptance pass it: production (生技), then marketing (用电). */
    CaseDriver passAcceptance() {
        answer(TaskKind.COMPLETION_ACCEPTANCE, APPROVED);
        return answer(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, APPROVED);
    }

    /** Production fails the acceptance with these defects, marketing passes it: the round fails. */
    CaseDriver failAcceptance(String defects) {
        answer(TaskKind.COMPLETION_ACCEPTANCE, TaskResult.FAILED, Map.of("DEFECTS", defects));
        return answer(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, APPROVED);
    }

    /** Production, marketing and construction answer their part of the joint energization (customer-center has not). */
    CaseDriver supportEnergization() {
        answer(TaskKind.ENERGIZATION_PRODUCTION, DONE);
        answer(TaskKind.ENERGIZATION_MARKETING, DONE);
        answer(TaskKind.ENERGIZATION_CONSTRUCTION, DONE);
        return this;
    }

    /** Effects of the last transition without the timeline lines (they are checked separately). */
    List<Effect> business() {
        return effects.stream().filter(e -> !(e instanceof Effect.TimelineEntry)).toList();
    }

    @SuppressWarnings("unchecked")
    <E extends Effect> List<E> effectsOf(Class<E> type) {
        return (List<E>) effects.stream().filter(type::isInstance).toList();
    }
}
