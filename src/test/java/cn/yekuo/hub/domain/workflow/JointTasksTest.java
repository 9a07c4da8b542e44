package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.workflow.Command.CompleteTask;
import cn.yekuo.hub.domain.workflow.Command.Withdraw;
import cn.yekuo.hub.domain.workflow.Effect.Energized;
import cn.yekuo.hub.domain.workflow.Effect.NodeCompleted;
import cn.yekuo.hub.domain.workflow.Effect.NodeStarted;
import cn.yekuo.hub.domain.workflow.Effect.StageChanged;
import cn.yekuo.hub.domain.workflow.Effect.TaskClosed;
import cn.yekuo.hub.domain.workflow.Effect.TaskOpened;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static cn.yekuo.hub.domain.workflow.TaskResult.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

/** Joint tasks (issue 17 point 7): every unit the procedure names gets its own task; the round ends when all answered. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JointTasksTest {

    @Test
    void the_energization_round_goes_to_customer_center_production_marketing_and_construction_each_with_its_own_token() {
        CaseDriver d = CaseDriver.accepted().toEnergization();

        List<Task> open = d.state.openTasks();
        assertThat(open).extracting(Task::kind).containsExactlyElementsOf(CaseWorkflow.ENERGIZATION_ROUND);
        assertThat(open).extracting(Task::unit)
                .containsExactly(Unit.CUSTOMER_CENTER, Unit.PRODUCTION, Unit.MARKETING, Unit.CONSTRUCTION);
        assertThat(open).extracting(Task::token).doesNotHaveDuplicates();
        assertThat(d.state.openNode().node()).isEqualTo(Node.ENERGIZATION);
    }

    @Test
    void energization_waits_for_every_unit_whatever_the_order_and_takes_the_meter_from_customer_center() {
        CaseDriver d = CaseDriver.accepted().toEnergization();

        d.answer(TaskKind.ENERGIZATION_CONSTRUCTION, DONE);
        d.answer(TaskKind.ENERGIZATION, DONE, CaseDriver.ENERGIZED);
        d.answer(TaskKind.ENERGIZATION_MARKETING, DONE);
        assertThat(d.state.stage()).isEqualTo(Stage.ENERGIZATION);
        assertThat(d.state.openNode()).as("the clock runs while a unit owes its answer").isNotNull();
        assertThat(d.effectsOf(Effect.TimelineEntry.class)).extracting(Effect.TimelineEntry::kind).contains("JOINT_PENDING");

        d.answer(TaskKind.ENERGIZATION_PRODUCTION, DONE);

        assertThat(d.state.stage()).isEqualTo(Stage.ENERGIZED);
        assertThat(d.effectsOf(NodeCompleted.class)).containsExactly(new NodeCompleted(Node.ENERGIZATION, d.clock));
        assertThat(d.effectsOf(Energized.class)).singleElement().extracting(Energized::meterNo).isEqualTo("3301234567");
    }

    @Test
    void a_failure_from_any_unit_fails_the_energization_a_rectification_follows_then_every_unit_is_asked_again() {
        CaseDriver d = CaseDriver.accepted().toEnergization();
        int first = d.open(TaskKind.ENERGIZATION);

        d.answer(TaskKind.ENERGIZATION, DONE, CaseDriver.ENERGIZED);
        d.answer(TaskKind.ENERGIZATION_PRODUCTION, DONE);
        d.answer(TaskKind.ENERGIZATION_MARKETING, FAILED, Map.of("DEFECTS", "计量二次回路接线错误"));
        d.answer(TaskKind.ENERGIZATION_CONSTRUCTION, DONE);

        assertThat(d.state.stage()).as("not energized: one unit failed").isEqualTo(Stage.ENERGIZATION);
        assertThat(d.state.meterNo()).isNull();
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(first + 3).get()),
                new NodeCompleted(Node.ENERGIZATION, d.clock),
                new TaskOpened(Task.open(first + 4, TaskKind.RECTIFICATION, d.clock)),
                new NodeStarted(Node.RECTIFICATION, List.of(Unit.CONSTRUCTION), d.clock));
        assertThat(d.effectsOf(Effect.TimelineEntry.class)).extracting(Effect.TimelineEntry::details)
                .anySatisfy(t -> assertThat(t).contains("计量二次回路接线错误"));

        d.answer(TaskKind.RECTIFICATION, DONE);
        assertThat(d.effectsOf(TaskOpened.class)).extracting(o -> o.task().kind())
                .containsExactlyElementsOf(CaseWorkflow.ENERGIZATION_ROUND);
        assertThat(d.effectsOf(NodeStarted.class)).extracting(NodeStarted::node).containsExactly(Node.ENERGIZATION);

        d.supportEnergization().answer(TaskKind.ENERGIZATION, DONE, CaseDriver.ENERGIZED);
        assertThat(d.state.stage()).isEqualTo(Stage.ENERGIZED);
    }

    @Test
    void a_customer_center_failure_needs_no_meter_and_fails_the_round() {
        CaseDriver d = CaseDriver.accepted().toEnergization().supportEnergization();

        d.answer(TaskKind.ENERGIZATION, FAILED, Map.of("DEFECTS", "客户受电装置未送检"));

        assertThat(d.state.stage()).isEqualTo(Stage.ENERGIZATION);
        assertThat(d.state.openTask(TaskKind.RECTIFICATION)).isPresent();
        assertThat(d.effectsOf(StageChanged.class)).isEmpty();
    }

    @Test
    void a_units_second_answer_is_refused_as_its_task_is_closed_and_changes_nothing() {
        CaseDriver d = CaseDriver.accepted().toAcceptance();
        int production = d.open(TaskKind.COMPLETION_ACCEPTANCE);
        d.answer(TaskKind.COMPLETION_ACCEPTANCE, APPROVED);

        Refused again = d.refused(new CompleteTask(d.tick(), Actor.UNIT, production, FAILED, Map.of("DEFECTS", "补充缺陷")));

        assertThat(again.code()).isEqualTo(Refused.TASK_NOT_OPEN);
        assertThat(d.state.openTask(TaskKind.COMPLETION_ACCEPTANCE_MARKETING)).as("marketing still owes its answer").isPresent();
        assertThat(d.state.stage()).isEqualTo(Stage.ACCEPTANCE);
    }

    @Test
    void a_late_answer_after_the_case_was_withdrawn_is_refused() {
        CaseDriver d = CaseDriver.accepted().toEnergization();
        int marketing = d.open(TaskKind.ENERGIZATION_MARKETING);
        d.answer(TaskKind.ENERGIZATION_PRODUCTION, DONE);
        d.ok(new Withdraw(d.tick(), Actor.BILLING, "项目取消"));

        assertThat(d.state.openTasks()).isEmpty();
        Refused late = d.refused(new CompleteTask(d.tick(), Actor.UNIT, marketing, DONE, Map.of()));
        assertThat(late.code()).isEqualTo(Refused.INVALID_STATE);
    }

    @Test
    void a_late_answer_to_a_round_already_decided_is_refused_and_the_next_round_is_untouched() {
        CaseDriver d = CaseDriver.accepted().toAcceptance();
        int marketing = d.open(TaskKind.COMPLETION_ACCEPTANCE_MARKETING);
        d.failAcceptance("接地电阻超标");
        d.answer(TaskKind.RECTIFICATION, DONE);

        Refused late = d.refused(new CompleteTask(d.tick(), Actor.UNIT, marketing, APPROVED, Map.of()));

        assertThat(late.code()).isEqualTo(Refused.TASK_NOT_OPEN);
        assertThat(d.state.openTasks()).extracting(Task::kind).containsExactlyElementsOf(CaseWorkflow.ACCEPTANCE_ROUND);
    }

    @Test
    void a_case_opened_before_the_joint_tasks_completes_its_acceptance_with_production_alone() {
        CaseDriver d = CaseDriver.accepted().toAcceptance();
        // the stored snapshot of an older case: one COMPLETION_ACCEPTANCE task, no marketing task
        List<Task> tasks = new ArrayList<>(d.state.tasks());
        tasks.removeIf(t -> t.kind() == TaskKind.COMPLETION_ACCEPTANCE_MARKETING);
        d.state = d.state.withTasks(tasks);

        d.answer(TaskKind.COMPLETION_ACCEPTANCE, APPROVED);

        assertThat(d.state.stage()).isEqualTo(Stage.CONTRACT);
    }

    @Test
    void the_round_of_a_task_is_the_tasks_of_its_kinds_opened_with_it() {
        CaseDriver d = CaseDriver.accepted().toAcceptance();
        d.failAcceptance("接地电阻超标");
        d.answer(TaskKind.RECTIFICATION, DONE);
        Task second = d.state.openTask(TaskKind.COMPLETION_ACCEPTANCE_MARKETING).orElseThrow();

        assertThat(CaseWorkflow.round(d.state, second)).extracting(Task::isOpen).containsExactly(true, true);
        assertThat(CaseWorkflow.round(d.state, d.state.task(6).orElseThrow())).extracting(Task::no).containsExactly(6, 7);
        assertThat(CaseWorkflow.roundOf(TaskKind.DESIGN)).containsExactly(TaskKind.DESIGN);
    }
}
