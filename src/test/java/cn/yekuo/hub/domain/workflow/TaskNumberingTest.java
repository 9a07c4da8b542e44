package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.Effect.TaskOpened;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.COMPLETED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static cn.yekuo.hub.domain.workflow.TaskResult.FAILED;
import static cn.yekuo.hub.domain.workflow.TaskResult.INSPECTION_REQUESTED;
import static cn.yekuo.hub.domain.workflow.TaskResult.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TaskNumberingTest {

    @Test
    void task_numbers_are_sequential_in_creation_order_and_never_reused_across_every_loop() {
        CaseDriver d = CaseDriver.accepted();
        List<Integer> opened = new ArrayList<>(List.of(1, 2));
        Runnable collect = () -> d.effectsOf(TaskOpened.class).forEach(o -> opened.add(o.task().no()));

        d.answer(TaskKind.SCHEME_TECHNICAL, REJECTED); collect.run();
        d.answer(TaskKind.SCHEME_BUSINESS, REJECTED); collect.run();
        d.answer(TaskKind.SCHEME_TECHNICAL, APPROVED, CaseDriver.TECHNICAL); collect.run();
        d.answer(TaskKind.SCHEME_BUSINESS, APPROVED, CaseDriver.BUSINESS); collect.run();
        d.answer(TaskKind.DESIGN, DONE); collect.run();
        d.answer(TaskKind.DESIGN_REVIEW, REJECTED); collect.run();
        d.answer(TaskKind.DESIGN, DONE); collect.run();
        d.answer(TaskKind.DESIGN_REVIEW, APPROVED); collect.run();
        d.answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED); collect.run();
        d.answer(TaskKind.MID_INSPECTION, FAILED); collect.run();
        d.answer(TaskKind.RECTIFICATION, DONE); collect.run();
        d.answer(TaskKind.MID_INSPECTION, APPROVED); collect.run();
        d.answer(TaskKind.CONSTRUCTION, COMPLETED); collect.run();
        d.failAcceptance("接地电阻超标"); collect.run();
        d.answer(TaskKind.RECTIFICATION, DONE); collect.run();
        d.passAcceptance(); collect.run();
        d.ok(d.fees()); d.ok(d.contract()); d.ok(d.arrears()); collect.run();

        int n = d.state.tasks().size();
        assertThat(n).as("T1..T21: 4 scheme, 4 design, 1 construction, 3 mid/rectification, 2 + 1 + 2 joint acceptance/rectification, "
                + "4 joint energization").isEqualTo(21);
        assertThat(opened).containsExactlyElementsOf(IntStream.rangeClosed(1, n).boxed().toList());
        assertThat(d.state.tasks()).extracting(Task::no).containsExactlyElementsOf(opened);
        assertThat(d.state.nextTaskNo()).isEqualTo(22);
    }

    @Test
    void the_task_token_is_T_and_its_number() {
        CaseDriver d = CaseDriver.accepted();

        assertThat(d.state.task(2).get().token()).isEqualTo("T2");
        assertThat(d.state.task(2).get().unit()).isEqualTo(cn.yekuo.hub.domain.Unit.MARKETING);
    }

    @Test
    void a_new_task_after_a_rejection_gets_the_next_number_not_the_rejected_one() {
        CaseDriver d = CaseDriver.accepted();

        d.answer(TaskKind.SCHEME_BUSINESS, REJECTED);

        assertThat(d.state.openTask(TaskKind.SCHEME_BUSINESS).get().no()).isEqualTo(3);
        assertThat(d.state.task(2).get().status()).isEqualTo(TaskStatus.CLOSED);
    }
}
