package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.support.Replies;

import cn.yekuo.hub.domain.time.Node;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.workflow.Command.CloseAfterReturnVisit;
import cn.yekuo.hub.domain.workflow.Effect.AcceptanceRecorded;
import cn.yekuo.hub.domain.workflow.Effect.ContractDue;
import cn.yekuo.hub.domain.workflow.Effect.CustomerWaitEnded;
import cn.yekuo.hub.domain.workflow.Effect.CustomerWaitStarted;
import cn.yekuo.hub.domain.workflow.Effect.Energized;
import cn.yekuo.hub.domain.workflow.Effect.FormalityRecorded;
import cn.yekuo.hub.domain.workflow.Effect.NodeCompleted;
import cn.yekuo.hub.domain.workflow.Effect.NodeStarted;
import cn.yekuo.hub.domain.workflow.Effect.SchemeCompleted;
import cn.yekuo.hub.domain.workflow.Effect.StageChanged;
import cn.yekuo.hub.domain.workflow.Effect.TaskClosed;
import cn.yekuo.hub.domain.workflow.Effect.TaskOpened;
import cn.yekuo.hub.domain.workflow.Effect.TimelineEntry;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.yekuo.hub.domain.workflow.CaseDriver.T0;
import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.COMPLETED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static cn.yekuo.hub.domain.workflow.TaskResult.INSPECTION_REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HappyPathTest {

    @Test
    void an_accepted_case_enters_SCHEME_through_ACCEPTED_with_both_scheme_tasks_and_the_scheme_clock_running() {
        CaseDriver d = CaseDriver.accepted();

        assertThat(d.business()).containsExactly(
                new StageChanged(Stage.RECEIVED, Stage.ACCEPTED, T0, null),
                new StageChanged(Stage.ACCEPTED, Stage.SCHEME, T0, null),
                new TaskOpened(Task.open(1, TaskKind.SCHEME_TECHNICAL, T0)),
                new TaskOpened(Task.open(2, TaskKind.SCHEME_BUSINESS, T0)),
                new NodeStarted(Node.SCHEME_REPLY, List.of(Unit.PRODUCTION, Unit.MARKETING), T0));
        assertThat(d.effects.get(0)).isInstanceOf(TimelineEntry.class);
        assertThat(d.state.stage()).isEqualTo(Stage.SCHEME);
        assertThat(d.state.openNode()).isEqualTo(new OpenNode(Node.SCHEME_REPLY, T0));
        assertThat(d.state.customerWait()).isNull();
    }

    @Test
    void the_full_happy_path_from_acceptance_to_closing() {
        CaseDriver d = CaseDriver.accepted();

        // scheme: technical first, the case stays in SCHEME until the business part is approved too
        OffsetDateTime t = d.ok(d.reply(TaskKind.SCHEME_TECHNICAL, APPROVED, CaseDriver.TECHNICAL)).next().task(1).get().closedAt();
        assertThat(d.business()).containsExactly(new TaskClosed(d.state.task(1).get()));
        assertThat(d.state.task(1).get().result()).isEqualTo(APPROVED);
        assertThat(d.state.stage()).isEqualTo(Stage.SCHEME);
        assertThat(d.state.openNode().node()).isEqualTo(Node.SCHEME_REPLY);

        d.ok(d.reply(TaskKind.SCHEME_BUSINESS, APPROVED, CaseDriver.BUSINESS));
        t = d.clock;
        Map<String, String> scheme = new LinkedHashMap<>();
        scheme.put("SOURCE", "110kV东郊变 10kV东园线");
        scheme.put("CONNECTION_POINT", "东园线12号杆");
        scheme.put("OWNERSHIP_BOUNDARY", "12号杆T接点");
        scheme.put("METERING", "高供高计");
        scheme.put("TARIFF", "大工业用电");
        scheme.put("ASSET_TRANSFER", "是");
        scheme.put("FEES", "12800.00");
        // and the contents the documents print (issue 17), in the order of CaseWorkflow.SCHEME_FIELDS
        Map<String, String> answered = Replies.with(CaseDriver.TECHNICAL, CaseDriver.BUSINESS);
        Map<String, String> ordered = new LinkedHashMap<>();
        CaseWorkflow.SCHEME_FIELDS.stream().filter(answered::containsKey).forEach(f -> ordered.put(f, answered.get(f)));
        assertThat(ordered).containsAllEntriesOf(scheme).containsEntry("TRANSFORMER", "SCB13-800/10×1×800kVA\nSCB13-625/10×2×625kVA")
                .containsEntry("PT_RATIO", "10000/100");
        scheme = ordered;
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(2).get()),
                new NodeCompleted(Node.SCHEME_REPLY, t),
                new SchemeCompleted(scheme),
                new StageChanged(Stage.SCHEME, Stage.DESIGN, t, null),
                new TaskOpened(Task.open(3, TaskKind.DESIGN, t)),
                new NodeStarted(Node.DESIGN, List.of(Unit.CONSTRUCTION), t));
        assertThat(d.state.scheme()).containsExactlyEntriesOf(scheme);
        assertThat(d.state.openNode()).as("the construction unit's design: timed only where the rule set has a row")
                .isEqualTo(new OpenNode(Node.DESIGN, t));

        // design and its review
        d.answer(TaskKind.DESIGN, DONE);
        t = d.clock;
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(3).get()),
                new NodeCompleted(Node.DESIGN, t),
                new TaskOpened(Task.open(4, TaskKind.DESIGN_REVIEW, t)),
                new NodeStarted(Node.DESIGN_REVIEW, List.of(Unit.PRODUCTION), t));
        d.answer(TaskKind.DESIGN_REVIEW, APPROVED);
        t = d.clock;
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(4).get()),
                new NodeCompleted(Node.DESIGN_REVIEW, t),
                new StageChanged(Stage.DESIGN, Stage.CONSTRUCTION, t, null),
                new TaskOpened(Task.open(5, TaskKind.CONSTRUCTION, t)));

        // construction with a mid inspection
        d.answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED);
        t = d.clock;
        assertThat(d.business()).containsExactly(
                new TaskOpened(Task.open(6, TaskKind.MID_INSPECTION, t)),
                new NodeStarted(Node.MID_INSPECTION, List.of(Unit.PRODUCTION), t));
        assertThat(d.state.task(5).get().isOpen()).as("construction stays open").isTrue();
        d.answer(TaskKind.MID_INSPECTION, APPROVED);
        t = d.clock;
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(6).get()),
                new NodeCompleted(Node.MID_INSPECTION, t));
        d.answer(TaskKind.CONSTRUCTION, COMPLETED);
        t = d.clock;
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(5).get()),
                new StageChanged(Stage.CONSTRUCTION, Stage.ACCEPTANCE, t, null),
                new TaskOpened(Task.open(7, TaskKind.COMPLETION_ACCEPTANCE, t)),
                new TaskOpened(Task.open(8, TaskKind.COMPLETION_ACCEPTANCE_MARKETING, t)),
                new NodeStarted(Node.COMPLETION_ACCEPTANCE, List.of(Unit.PRODUCTION, Unit.MARKETING), t));

        // the joint acceptance: production's pass alone moves nothing, marketing's completes the round
        d.answer(TaskKind.COMPLETION_ACCEPTANCE, APPROVED);
        assertThat(d.business()).containsExactly(new TaskClosed(d.state.task(7).get()));
        assertThat(d.state.stage()).isEqualTo(Stage.ACCEPTANCE);
        d.answer(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, APPROVED);
        t = d.clock;
        String wait = d.state.customerWait().reason();
        assertThat(wait).contains("fees, contract, arrears");
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(8).get()),
                new NodeCompleted(Node.COMPLETION_ACCEPTANCE, t),
                new AcceptanceRecorded(true, List.of()),
                new ContractDue(true),
                new StageChanged(Stage.ACCEPTANCE, Stage.CONTRACT, t, wait),
                new CustomerWaitStarted(wait, t));
        assertThat(d.state.acceptancePassed()).isTrue();

        // formalities
        d.ok(d.fees());
        assertThat(d.business()).containsExactly(new FormalityRecorded(Formality.FEES_SETTLED, d.clock));
        d.ok(d.contract());
        assertThat(d.business()).containsExactly(new FormalityRecorded(Formality.CONTRACT_SIGNED, d.clock));
        d.ok(d.arrears());
        t = d.clock;
        assertThat(d.business()).containsExactly(
                new FormalityRecorded(Formality.ARREARS_CLEARED, t),
                new CustomerWaitEnded(t),
                new StageChanged(Stage.CONTRACT, Stage.ENERGIZATION, t, null),
                new TaskOpened(Task.open(9, TaskKind.ENERGIZATION, t)),
                new TaskOpened(Task.open(10, TaskKind.ENERGIZATION_PRODUCTION, t)),
                new TaskOpened(Task.open(11, TaskKind.ENERGIZATION_MARKETING, t)),
                new TaskOpened(Task.open(12, TaskKind.ENERGIZATION_CONSTRUCTION, t)),
                new NodeStarted(Node.ENERGIZATION, List.of(Unit.CUSTOMER_CENTER, Unit.PRODUCTION, Unit.MARKETING,
                        Unit.CONSTRUCTION), t));
        assertThat(d.state.formalities().contractNo()).isEqualTo("HT-2027-0042");

        // the joint energization: customer-center answers first, the case is energized with the last unit's answer
        d.answer(TaskKind.ENERGIZATION, DONE, CaseDriver.ENERGIZED);
        assertThat(d.business()).containsExactly(new TaskClosed(d.state.task(9).get()));
        d.answer(TaskKind.ENERGIZATION_PRODUCTION, DONE).answer(TaskKind.ENERGIZATION_MARKETING, DONE);
        assertThat(d.state.stage()).isEqualTo(Stage.ENERGIZATION);
        d.answer(TaskKind.ENERGIZATION_CONSTRUCTION, DONE);
        t = d.clock;
        OffsetDateTime energizedAt = OffsetDateTime.parse("2027-03-01T10:30+08:00");
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(12).get()),
                new NodeCompleted(Node.ENERGIZATION, t),
                new StageChanged(Stage.ENERGIZATION, Stage.ENERGIZED, t, null),
                new Energized("3301234567", energizedAt));
        assertThat(d.state.meterNo()).isEqualTo("3301234567");
        assertThat(d.state.energizedAt()).isEqualTo(energizedAt);

        // return visit
        d.ok(new CloseAfterReturnVisit(d.tick(), Actor.REPRESENTATIVE));
        assertThat(d.business()).containsExactly(new StageChanged(Stage.ENERGIZED, Stage.CLOSED, d.clock, null));
        assertThat(d.state.openTasks()).isEmpty();
        assertThat(d.state.tasks()).extracting(Task::no).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void every_applied_command_puts_one_line_on_the_timeline_first_with_its_actor_and_time() {
        CaseDriver d = CaseDriver.accepted();
        d.ok(d.reply(TaskKind.SCHEME_TECHNICAL, APPROVED, CaseDriver.TECHNICAL));

        assertThat(d.effects.get(0)).isInstanceOfSatisfying(TimelineEntry.class, e -> {
            assertThat(e.actor()).isEqualTo(Actor.UNIT);
            assertThat(e.at()).isEqualTo(d.clock);
            assertThat(e.kind()).isEqualTo("TASK_REPLY");
            assertThat(e.details()).contains("T1", "SCHEME_TECHNICAL", "production", "APPROVED");
        });
        assertThat(d.effectsOf(TimelineEntry.class)).hasSize(1);
    }

    @Test
    void a_scheme_without_asset_transfer_makes_a_contract_without_the_transfer_agreement() {
        CaseDriver d = CaseDriver.accepted();
        Map<String, String> business = new LinkedHashMap<>(CaseDriver.BUSINESS);
        business.put("ASSET_TRANSFER", "否");
        d.answer(TaskKind.SCHEME_TECHNICAL, APPROVED, CaseDriver.TECHNICAL);
        d.answer(TaskKind.SCHEME_BUSINESS, APPROVED, business);
        d.answer(TaskKind.DESIGN, DONE).answer(TaskKind.DESIGN_REVIEW, APPROVED)
                .answer(TaskKind.CONSTRUCTION, COMPLETED).passAcceptance();

        assertThat(d.effectsOf(ContractDue.class)).containsExactly(new ContractDue(false));
    }

    @Test
    void energized_at_may_also_be_given_as_iso_time_with_offset() {
        CaseDriver d = CaseDriver.accepted().toEnergization().supportEnergization();
        d.answer(TaskKind.ENERGIZATION, DONE, Map.of("METER_NO", "M-1", "ENERGIZED_AT", "2027-03-01T10:30:00+08:00"));

        assertThat(d.state.energizedAt()).isEqualTo(OffsetDateTime.parse("2027-03-01T10:30+08:00"));
    }
}
