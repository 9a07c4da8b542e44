package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.time.Node;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.Command.PauseForCustomer;
import cn.yekuo.hub.domain.workflow.Command.ResumeFromCustomer;
import cn.yekuo.hub.domain.workflow.Command.Withdraw;
import cn.yekuo.hub.domain.workflow.Effect.CustomerWaitEnded;
import cn.yekuo.hub.domain.workflow.Effect.CustomerWaitStarted;
import cn.yekuo.hub.domain.workflow.Effect.NodeCancelled;
import cn.yekuo.hub.domain.workflow.Effect.StageChanged;
import cn.yekuo.hub.domain.workflow.Effect.TaskCancelled;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;

import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static cn.yekuo.hub.domain.workflow.TaskResult.INSPECTION_REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WithdrawAndWaitTest {

    static Withdraw withdraw(CaseDriver d) {
        return new Withdraw(d.tick(), Actor.BILLING, "客户项目取消");
    }

    @Nested
    class Withdrawal {

        @Test
        void withdrawing_in_SCHEME_cancels_both_scheme_tasks_and_the_scheme_clock() {
            CaseDriver d = CaseDriver.accepted();

            d.ok(withdraw(d));
            OffsetDateTime at = d.clock;

            assertThat(d.business()).containsExactly(
                    new TaskCancelled(d.state.task(1).get()),
                    new TaskCancelled(d.state.task(2).get()),
                    new NodeCancelled(Node.SCHEME_REPLY, at),
                    new StageChanged(Stage.SCHEME, Stage.WITHDRAWN, at, "客户项目取消"));
            assertThat(d.state.tasks()).extracting(Task::status).containsOnly(TaskStatus.CANCELLED);
            assertThat(d.state.task(1).get().closedAt()).isEqualTo(at);
            assertThat(d.state.openNode()).isNull();
            assertThat(d.state.stage()).isEqualTo(Stage.WITHDRAWN);
        }

        @Test
        void withdrawing_while_awaiting_materials_ends_the_customer_wait() {
            CaseDriver d = CaseDriver.awaiting(Material.SITE_PLAN);

            d.ok(withdraw(d));

            assertThat(d.business()).containsExactly(
                    new CustomerWaitEnded(d.clock),
                    new StageChanged(Stage.AWAITING_MATERIALS, Stage.WITHDRAWN, d.clock, "客户项目取消"));
            assertThat(d.state.customerWait()).isNull();
        }

        @Test
        void withdrawing_during_construction_cancels_the_construction_and_the_open_inspection() {
            CaseDriver d = CaseDriver.accepted().toConstruction();
            d.answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED);

            d.ok(withdraw(d));

            assertThat(d.effectsOf(TaskCancelled.class)).extracting(c -> c.task().kind())
                    .containsExactly(TaskKind.CONSTRUCTION, TaskKind.MID_INSPECTION);
            assertThat(d.effectsOf(NodeCancelled.class)).containsExactly(new NodeCancelled(Node.MID_INSPECTION, d.clock));
            assertThat(d.state.openTasks()).isEmpty();
            assertThat(d.state.tasks()).filteredOn(t -> t.kind() == TaskKind.DESIGN).extracting(Task::status)
                    .as("closed tasks stay closed").containsOnly(TaskStatus.CLOSED);
        }

        @Test
        void withdrawing_in_CONTRACT_ends_the_wait_for_the_customer() {
            CaseDriver d = CaseDriver.accepted().toContract();

            d.ok(withdraw(d));

            assertThat(d.business()).containsExactly(
                    new CustomerWaitEnded(d.clock),
                    new StageChanged(Stage.CONTRACT, Stage.WITHDRAWN, d.clock, "客户项目取消"));
        }

        @Test
        void withdrawing_during_energization_cancels_every_open_task_of_the_joint_round() {
            CaseDriver d = CaseDriver.accepted().toEnergization();

            d.ok(withdraw(d));

            assertThat(d.effectsOf(TaskCancelled.class)).extracting(c -> c.task().kind())
                    .containsExactly(TaskKind.ENERGIZATION, TaskKind.ENERGIZATION_PRODUCTION, TaskKind.ENERGIZATION_MARKETING,
                            TaskKind.ENERGIZATION_CONSTRUCTION);
            assertThat(d.effectsOf(NodeCancelled.class)).containsExactly(new NodeCancelled(Node.ENERGIZATION, d.clock));
        }

        @Test
        void withdrawing_is_refused_once_energized() {
            CaseDriver d = CaseDriver.accepted().toEnergized();

            Refused r = d.refused(withdraw(d));

            assertThat(r.code()).isEqualTo(Refused.INVALID_STATE);
            assertThat(r.message()).contains("energized");
        }

        @Test
        void withdrawing_is_refused_from_a_final_stage() {
            CaseDriver d = CaseDriver.accepted();
            d.ok(withdraw(d));

            assertThat(d.refused(withdraw(d)).code()).isEqualTo(Refused.INVALID_STATE);
        }

        @Test
        void a_task_cancelled_by_withdrawal_cannot_be_answered() {
            CaseDriver d = CaseDriver.accepted();
            d.ok(withdraw(d));

            Refused r = d.refused(new Command.CompleteTask(d.tick(), Actor.UNIT, 1, APPROVED, CaseDriver.TECHNICAL));

            assertThat(r.code()).isEqualTo(Refused.INVALID_STATE);
        }
    }

    @Nested
    class CustomerWaits {

        @Test
        void pausing_for_the_customer_starts_a_wait_with_its_reason() {
            CaseDriver d = CaseDriver.accepted();
            OffsetDateTime at = d.tick();

            d.ok(new PauseForCustomer(at, Actor.REPRESENTATIVE, "客户要求暂缓方案"));

            assertThat(d.business()).containsExactly(new CustomerWaitStarted("客户要求暂缓方案", at));
            assertThat(d.state.customerWait()).isEqualTo(new CustomerWait("客户要求暂缓方案", at));
            assertThat(d.state.stage()).as("a pause is not a stage change").isEqualTo(Stage.SCHEME);
            assertThat(d.state.openNode()).as("the node stays open; its clock is stopped by the wait")
                    .isEqualTo(new OpenNode(Node.SCHEME_REPLY, CaseDriver.T0));
        }

        @Test
        void resuming_ends_the_wait() {
            CaseDriver d = CaseDriver.accepted();
            d.ok(new PauseForCustomer(d.tick(), Actor.REPRESENTATIVE, "客户要求暂缓方案"));
            OffsetDateTime at = d.tick();

            d.ok(new ResumeFromCustomer(at, Actor.REPRESENTATIVE));

            assertThat(d.business()).containsExactly(new CustomerWaitEnded(at));
            assertThat(d.state.customerWait()).isNull();
        }

        @Test
        void pausing_is_refused_when_already_waiting() {
            CaseDriver d = CaseDriver.accepted();
            d.ok(new PauseForCustomer(d.tick(), Actor.REPRESENTATIVE, "first"));

            Refused r = d.refused(new PauseForCustomer(d.tick(), Actor.REPRESENTATIVE, "second"));

            assertThat(r.code()).isEqualTo(Refused.ALREADY_WAITING);
            assertThat(r.message()).contains("first");
        }

        @Test
        void pausing_is_refused_while_awaiting_materials_because_that_is_already_a_wait() {
            CaseDriver d = CaseDriver.awaiting(Material.SITE_PLAN);

            assertThat(d.refused(new PauseForCustomer(d.tick(), Actor.REPRESENTATIVE, "x")).code())
                    .isEqualTo(Refused.ALREADY_WAITING);
        }

        @Test
        void resuming_is_refused_when_not_waiting() {
            CaseDriver d = CaseDriver.accepted();

            assertThat(d.refused(new ResumeFromCustomer(d.tick(), Actor.REPRESENTATIVE)).code())
                    .isEqualTo(Refused.NOT_WAITING);
        }

        @Test
        void the_waits_for_materials_and_for_the_contract_formalities_cannot_be_resumed_by_hand() {
            CaseDriver awaiting = CaseDriver.awaiting(Material.SITE_PLAN);
            assertThat(awaiting.refused(new ResumeFromCustomer(awaiting.tick(), Actor.REPRESENTATIVE)).code())
                    .isEqualTo(Refused.INVALID_STATE);

            CaseDriver contract = CaseDriver.accepted().toContract();
            Refused r = contract.refused(new ResumeFromCustomer(contract.tick(), Actor.REPRESENTATIVE));
            assertThat(r.code()).isEqualTo(Refused.INVALID_STATE);
            assertThat(r.message()).contains("CONTRACT");
        }

        @Test
        void pausing_is_refused_once_energized() {
            CaseDriver d = CaseDriver.accepted().toEnergized();

            assertThat(d.refused(new PauseForCustomer(d.tick(), Actor.REPRESENTATIVE, "x")).code())
                    .isEqualTo(Refused.INVALID_STATE);
        }

        @Test
        void replies_are_still_processed_while_the_case_waits_for_the_customer() {
            CaseDriver d = CaseDriver.accepted().toDesign();
            d.ok(new PauseForCustomer(d.tick(), Actor.REPRESENTATIVE, "客户修改设计要求"));

            d.answer(TaskKind.DESIGN, DONE).answer(TaskKind.DESIGN_REVIEW, APPROVED);

            assertThat(d.state.stage()).isEqualTo(Stage.CONSTRUCTION);
            assertThat(d.state.customerWait().reason()).as("a pause lasts until resumed").isEqualTo("客户修改设计要求");
        }

        @Test
        void a_pause_running_when_acceptance_passes_becomes_the_contract_wait() {
            CaseDriver d = CaseDriver.accepted().toAcceptance();
            d.ok(new PauseForCustomer(d.tick(), Actor.REPRESENTATIVE, "客户负责人出差"));
            CustomerWait pause = d.state.customerWait();

            d.passAcceptance();

            assertThat(d.effectsOf(CustomerWaitStarted.class)).isEmpty();
            assertThat(d.effectsOf(StageChanged.class)).containsExactly(
                    new StageChanged(Stage.ACCEPTANCE, Stage.CONTRACT, d.clock, "客户负责人出差"));
            assertThat(d.state.customerWait()).isEqualTo(pause);
        }

        @Test
        void the_wait_ends_when_energization_opens() {
            CaseDriver d = CaseDriver.accepted().toContract();
            d.ok(d.fees());
            d.ok(d.contract());

            d.ok(d.arrears());

            assertThat(d.effectsOf(CustomerWaitEnded.class)).containsExactly(new CustomerWaitEnded(d.clock));
            assertThat(d.state.customerWait()).isNull();
        }

        @Test
        void a_pause_during_energization_ends_with_the_energization() {
            CaseDriver d = CaseDriver.accepted().toEnergization();
            d.ok(new PauseForCustomer(d.tick(), Actor.REPRESENTATIVE, "客户配电室未清场"));

            d.supportEnergization().answer(TaskKind.ENERGIZATION, DONE, CaseDriver.ENERGIZED);

            assertThat(d.effectsOf(CustomerWaitEnded.class)).containsExactly(new CustomerWaitEnded(d.clock));
            assertThat(d.state.customerWait()).isNull();
            assertThat(d.state.stage()).isEqualTo(Stage.ENERGIZED);
        }
    }
}
