package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.time.Node;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.workflow.Effect.AcceptanceRecorded;
import cn.yekuo.hub.domain.workflow.Effect.NodeCompleted;
import cn.yekuo.hub.domain.workflow.Effect.NodeStarted;
import cn.yekuo.hub.domain.workflow.Effect.SchemeCompleted;
import cn.yekuo.hub.domain.workflow.Effect.StageChanged;
import cn.yekuo.hub.domain.workflow.Effect.TaskClosed;
import cn.yekuo.hub.domain.workflow.Effect.TaskOpened;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static cn.yekuo.hub.domain.workflow.CaseDriver.T0;
import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.COMPLETED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static cn.yekuo.hub.domain.workflow.TaskResult.FAILED;
import static cn.yekuo.hub.domain.workflow.TaskResult.INSPECTION_REQUESTED;
import static cn.yekuo.hub.domain.workflow.TaskResult.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LoopsTest {

    @Test
    void a_rejected_scheme_task_is_closed_and_asked_again_as_a_new_task_while_the_other_one_is_untouched() {
        CaseDriver d = CaseDriver.accepted();

        d.answer(TaskKind.SCHEME_TECHNICAL, REJECTED, Map.of("NOTE", "电源点需重新论证"));
        OffsetDateTime at = d.clock;

        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(1).get()),
                new TaskOpened(Task.open(3, TaskKind.SCHEME_TECHNICAL, at)));
        assertThat(d.state.task(1).get().result()).isEqualTo(REJECTED);
        assertThat(d.state.task(1).get().fields()).containsEntry("NOTE", "电源点需重新论证");
        assertThat(d.state.task(2).get()).isEqualTo(Task.open(2, TaskKind.SCHEME_BUSINESS, T0));
        assertThat(d.state.stage()).isEqualTo(Stage.SCHEME);
    }

    @Test
    void a_scheme_rejection_does_not_restart_the_scheme_clock() {
        CaseDriver d = CaseDriver.accepted();

        d.answer(TaskKind.SCHEME_TECHNICAL, REJECTED);

        assertThat(d.effectsOf(NodeStarted.class)).isEmpty();
        assertThat(d.effectsOf(NodeCompleted.class)).isEmpty();
        assertThat(d.state.openNode()).isEqualTo(new OpenNode(Node.SCHEME_REPLY, T0));
    }

    @Test
    void the_scheme_completes_when_the_new_task_is_approved_after_a_rejection() {
        CaseDriver d = CaseDriver.accepted();
        d.answer(TaskKind.SCHEME_BUSINESS, APPROVED, CaseDriver.BUSINESS);
        d.answer(TaskKind.SCHEME_TECHNICAL, REJECTED);
        assertThat(d.state.stage()).isEqualTo(Stage.SCHEME);

        d.answer(TaskKind.SCHEME_TECHNICAL, APPROVED, CaseDriver.TECHNICAL);

        assertThat(d.state.stage()).isEqualTo(Stage.DESIGN);
        assertThat(d.effectsOf(SchemeCompleted.class)).singleElement()
                .satisfies(s -> assertThat(s.fields())
                        .containsKeys(TaskKind.SCHEME_TECHNICAL.requiredFields().toArray(String[]::new))
                        .containsKeys(TaskKind.SCHEME_BUSINESS.requiredFields().toArray(String[]::new))
                        .as("an optional value answered is kept").containsKey("PT_RATIO"));
        assertThat(d.effectsOf(NodeCompleted.class)).containsExactly(new NodeCompleted(Node.SCHEME_REPLY, d.clock));
        assertThat(d.state.tasks()).extracting(Task::kind, Task::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TaskKind.SCHEME_TECHNICAL, TaskStatus.CLOSED),
                org.assertj.core.groups.Tuple.tuple(TaskKind.SCHEME_BUSINESS, TaskStatus.CLOSED),
                org.assertj.core.groups.Tuple.tuple(TaskKind.SCHEME_TECHNICAL, TaskStatus.CLOSED),
                org.assertj.core.groups.Tuple.tuple(TaskKind.DESIGN, TaskStatus.OPEN));
    }

    @Test
    void both_scheme_tasks_rejected_are_both_asked_again() {
        CaseDriver d = CaseDriver.accepted();
        d.answer(TaskKind.SCHEME_TECHNICAL, REJECTED).answer(TaskKind.SCHEME_BUSINESS, REJECTED);

        assertThat(d.state.openTasks()).extracting(Task::no, Task::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3, TaskKind.SCHEME_TECHNICAL),
                org.assertj.core.groups.Tuple.tuple(4, TaskKind.SCHEME_BUSINESS));
    }

    @Test
    void a_rejected_design_review_sends_the_design_back_and_a_new_review_restarts_the_clock() {
        CaseDriver d = CaseDriver.accepted().toDesign();
        d.answer(TaskKind.DESIGN, DONE);

        d.answer(TaskKind.DESIGN_REVIEW, REJECTED, Map.of("DEFECTS", "接地设计不符；无功补偿不足"));
        OffsetDateTime rejectedAt = d.clock;
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(4).get()),
                new NodeCompleted(Node.DESIGN_REVIEW, rejectedAt),
                new TaskOpened(Task.open(5, TaskKind.DESIGN, rejectedAt)),
                new NodeStarted(Node.DESIGN, List.of(Unit.CONSTRUCTION), rejectedAt));
        assertThat(d.state.stage()).isEqualTo(Stage.DESIGN);
        assertThat(d.state.openNode()).as("redesign is the construction unit's: timed where the rule set says")
                .isEqualTo(new OpenNode(Node.DESIGN, rejectedAt));

        d.answer(TaskKind.DESIGN, DONE);
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(5).get()),
                new NodeCompleted(Node.DESIGN, d.clock),
                new TaskOpened(Task.open(6, TaskKind.DESIGN_REVIEW, d.clock)),
                new NodeStarted(Node.DESIGN_REVIEW, List.of(Unit.PRODUCTION), d.clock));

        d.answer(TaskKind.DESIGN_REVIEW, APPROVED);
        assertThat(d.state.stage()).isEqualTo(Stage.CONSTRUCTION);
    }

    @Test
    void a_failed_mid_inspection_asks_for_rectification_and_the_rectification_for_a_new_inspection() {
        CaseDriver d = CaseDriver.accepted().toConstruction();
        d.answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED);
        int construction = d.open(TaskKind.CONSTRUCTION);

        d.answer(TaskKind.MID_INSPECTION, FAILED, Map.of("DEFECTS", "电缆沟未封堵"));
        OffsetDateTime failedAt = d.clock;
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(6).get()),
                new NodeCompleted(Node.MID_INSPECTION, failedAt),
                new TaskOpened(Task.open(7, TaskKind.RECTIFICATION, failedAt)),
                new NodeStarted(Node.RECTIFICATION, List.of(Unit.CONSTRUCTION), failedAt));
        assertThat(d.state.openNode()).as("rectification is the construction unit's: timed where the rule set says")
                .isEqualTo(new OpenNode(Node.RECTIFICATION, failedAt));

        d.answer(TaskKind.RECTIFICATION, DONE);
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(7).get()),
                new NodeCompleted(Node.RECTIFICATION, d.clock),
                new TaskOpened(Task.open(8, TaskKind.MID_INSPECTION, d.clock)),
                new NodeStarted(Node.MID_INSPECTION, List.of(Unit.PRODUCTION), d.clock));

        d.answer(TaskKind.MID_INSPECTION, APPROVED);
        assertThat(d.state.stage()).isEqualTo(Stage.CONSTRUCTION);
        assertThat(d.state.openTasks()).extracting(Task::no).containsExactly(construction);

        d.answer(TaskKind.CONSTRUCTION, COMPLETED);
        assertThat(d.state.stage()).isEqualTo(Stage.ACCEPTANCE);
    }

    @Test
    void construction_may_ask_for_several_mid_inspections_one_at_a_time() {
        CaseDriver d = CaseDriver.accepted().toConstruction();
        d.answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED).answer(TaskKind.MID_INSPECTION, APPROVED);

        d.answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED);

        assertThat(d.state.openTask(TaskKind.MID_INSPECTION)).isPresent();
        Refused r = d.refused(d.reply(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED));
        assertThat(r.code()).isEqualTo(Refused.INSPECTION_OPEN);
    }

    @Test
    void completion_is_refused_while_a_mid_inspection_is_open() {
        CaseDriver d = CaseDriver.accepted().toConstruction();
        d.answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED);

        Refused r = d.refused(d.reply(TaskKind.CONSTRUCTION, COMPLETED));

        assertThat(r.code()).isEqualTo(Refused.INSPECTION_OPEN);
        assertThat(r.message()).contains("T6", "MID_INSPECTION");
    }

    @Test
    void completion_is_refused_while_a_rectification_is_open() {
        CaseDriver d = CaseDriver.accepted().toConstruction();
        d.answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED).answer(TaskKind.MID_INSPECTION, FAILED);

        Refused r = d.refused(d.reply(TaskKind.CONSTRUCTION, COMPLETED));

        assertThat(r.code()).isEqualTo(Refused.INSPECTION_OPEN);
        assertThat(r.message()).contains("RECTIFICATION");
    }

    @Test
    void a_failed_joint_acceptance_is_recorded_with_every_units_defects_rectified_and_accepted_again_by_both() {
        CaseDriver d = CaseDriver.accepted().toAcceptance();

        d.answer(TaskKind.COMPLETION_ACCEPTANCE, FAILED, Map.of("DEFECTS", "接地电阻超标; 标识牌缺失；"));
        assertThat(d.business()).as("one unit's failure waits for the other unit").containsExactly(
                new TaskClosed(d.state.task(6).get()));
        d.answer(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, FAILED, Map.of("DEFECTS", "计量柜未加封；接地电阻超标"));
        OffsetDateTime failedAt = d.clock;
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(7).get()),
                new NodeCompleted(Node.COMPLETION_ACCEPTANCE, failedAt),
                new AcceptanceRecorded(false, List.of("接地电阻超标", "标识牌缺失", "计量柜未加封")),
                new TaskOpened(Task.open(8, TaskKind.RECTIFICATION, failedAt)),
                new NodeStarted(Node.RECTIFICATION, List.of(Unit.CONSTRUCTION), failedAt));
        assertThat(d.state.stage()).isEqualTo(Stage.ACCEPTANCE);
        assertThat(d.state.acceptancePassed()).isFalse();

        d.answer(TaskKind.RECTIFICATION, DONE);
        assertThat(d.business()).containsExactly(
                new TaskClosed(d.state.task(8).get()),
                new NodeCompleted(Node.RECTIFICATION, d.clock),
                new TaskOpened(Task.open(9, TaskKind.COMPLETION_ACCEPTANCE, d.clock)),
                new TaskOpened(Task.open(10, TaskKind.COMPLETION_ACCEPTANCE_MARKETING, d.clock)),
                new NodeStarted(Node.COMPLETION_ACCEPTANCE, List.of(Unit.PRODUCTION, Unit.MARKETING), d.clock));

        d.passAcceptance();
        assertThat(d.state.stage()).isEqualTo(Stage.CONTRACT);
        assertThat(d.state.acceptances()).extracting(AcceptanceResult::taskNo, AcceptanceResult::passed,
                AcceptanceResult::defects).containsExactly(
                org.assertj.core.groups.Tuple.tuple(6, false, List.of("接地电阻超标", "标识牌缺失", "计量柜未加封")),
                org.assertj.core.groups.Tuple.tuple(9, true, List.of()));
    }

    @Test
    void one_units_failure_fails_the_joint_acceptance_whichever_unit_answers_last() {
        CaseDriver d = CaseDriver.accepted().toAcceptance();
        d.answer(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, FAILED, Map.of("DEFECTS", "计量柜未加封"));
        assertThat(d.state.openNode()).as("the clock runs until every unit answered").isNotNull();
        d.answer(TaskKind.COMPLETION_ACCEPTANCE, APPROVED);
        assertThat(d.effectsOf(StageChanged.class)).isEmpty();
        assertThat(d.effectsOf(AcceptanceRecorded.class)).containsExactly(new AcceptanceRecorded(false, List.of("计量柜未加封")));
        assertThat(d.state.openTask(TaskKind.RECTIFICATION)).isPresent();
        assertThat(d.state.openNode().node()).isEqualTo(Node.RECTIFICATION);
    }

    @Test
    void every_acceptance_answer_is_a_stage_change_only_when_it_passes() {
        CaseDriver d = CaseDriver.accepted().toAcceptance();
        d.failAcceptance("接地电阻超标");
        assertThat(d.effectsOf(StageChanged.class)).isEmpty();
        d.answer(TaskKind.RECTIFICATION, DONE).passAcceptance();
        assertThat(d.effectsOf(StageChanged.class)).extracting(StageChanged::to).containsExactly(Stage.CONTRACT);
    }
}
